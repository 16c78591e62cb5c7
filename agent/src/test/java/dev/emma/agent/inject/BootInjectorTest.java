package dev.emma.agent.inject;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BootInjectorTest {

    private static final List<String> PREFIXES = List.of("dev/emma/");
    private static final List<String> EXCLUDED = List.of("dev/emma/agent/");

    @Test
    void theCoreAndTheBridgeGoToTheBootstrapLoaderNothingElse() {
        assertTrue(BootInjector.selects("dev/emma/Emma.class", PREFIXES, EXCLUDED));
        assertTrue(BootInjector.selects("dev/emma/heap/Allocator.class", PREFIXES, EXCLUDED));
        assertTrue(BootInjector.selects("dev/emma/bridge/Bridge.class", PREFIXES, EXCLUDED));
        assertFalse(BootInjector.selects("dev/emma/agent/install/Installer.class", PREFIXES, EXCLUDED));
        assertFalse(BootInjector.selects("dev/emma/agent/shaded/bytebuddy/ByteBuddy.class", PREFIXES, EXCLUDED));
        assertFalse(BootInjector.selects("dev/emma/agent/SomethingNew.class", PREFIXES, EXCLUDED));
        assertFalse(BootInjector.selects("org/example/App.class", PREFIXES, EXCLUDED));
    }
}
