package dev.emma.agent.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BootInjectorTest {

    @Test
    void theCoreExportsOnlyItsApiTheBridgeEverythingAndEachModuleComesAfterWhatItReads() {
        List<String> names = BootModule.ALL.stream().map(BootModule::name).toList();
        assertEquals(List.of("dev.emma.core", "dev.emma.bridge"), names);
        BootModule core = BootModule.ALL.get(0);
        ModuleDescriptor descriptor = core.descriptor(Set.of("dev.emma", "dev.emma.options", "dev.emma.heap", "dev.emma.os"));
        assertEquals(Set.of("dev.emma", "dev.emma.options"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals("META-INF/emma-boot/dev.emma.core.jar", core.jarEntry());
        BootModule bridge = BootModule.ALL.get(1);
        assertTrue(bridge.readBy().contains("java.base"));
        assertEquals(Set.of("dev.emma.bridge", "dev.emma.bridge.x"), bridge.exported(Set.of("dev.emma.bridge", "dev.emma.bridge.x")));
        for (int i = 0; i < BootModule.ALL.size(); i++) {
            assertTrue(names.subList(0, i).containsAll(BootModule.ALL.get(i).requires()), BootModule.ALL.get(i).name());
        }
    }

    @Test
    void aCoreWithoutItsApiPackageIsRefused() {
        assertThrows(IllegalStateException.class, () -> BootModule.ALL.get(0).descriptor(Set.of("dev.emma.heap")));
    }

    /** Like the JVM: a class whose supertype is not defined yet fails, naming it (in internal form). */
    @Test
    void classesAreDefinedAfterTheirSupertypesWithOneFailedTryPerSupertypeOutOfOrder() {
        Map<String, String> supertypeOf = Map.of("a.C", "a.B", "a.B", "a.A", "a.D", "a.A");
        List<String> defined = new ArrayList<>();
        int[] failures = {0};
        BootInjector.Definer jvm = (name, bytes, domain) -> {
            String supertype = supertypeOf.get(name);
            if (supertype != null && !defined.contains(supertype)) {
                failures[0]++;
                throw new NoClassDefFoundError(supertype.replace('.', '/'));
            }
            defined.add(name);
        };
        Map<String, byte[]> classFiles = new LinkedHashMap<>();
        for (String name : List.of("a.C", "a.D", "a.B", "a.A", "a.E")) {
            classFiles.put(name, new byte[0]);
        }
        BootInjector.defineAll(jvm, classFiles, null);
        assertEquals(List.of("a.A", "a.B", "a.C", "a.D", "a.E"), defined);
        assertEquals(2, failures[0], "a.C waited for a.B, which waited for a.A");
    }

    @Test
    void aClassWhoseSupertypeIsNowhereIsReported() {
        BootInjector.Definer jvm = (name, bytes, domain) -> {
            throw new NoClassDefFoundError("a/Missing");
        };
        assertThrows(IllegalStateException.class, () -> BootInjector.defineAll(jvm, Map.of("a.C", new byte[0]), null));
    }
}
