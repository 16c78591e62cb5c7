package dev.emma.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.options.OptionException;
import dev.emma.options.Options;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    @Test
    void defaultsAreEmmaAtPremainWithoutLogging() {
        AgentConfig config = AgentConfig.from(Options.parse(null, Map.of(), Map.of()));
        assertEquals(Mode.EMMA, config.mode());
        assertFalse(config.background());
        assertEquals(Duration.ZERO, config.statsPeriod());
        assertFalse(config.summary());
        assertFalse(config.strict());
        assertEquals(EmmaConfig.defaults(), config.core());
        assertEquals(LinkerScope.KNOWN, config.linker());
        assertEquals(0, config.sites());
    }

    @Test
    void theLinkerScopesAreTheBridgesInTheSameOrder() {
        for (LinkerScope scope : LinkerScope.values()) {
            assertEquals(scope.name(), dev.emma.bridge.linker.LinkerRoutes.Scope.values()[scope.ordinal()].name());
        }
        assertEquals(LinkerScope.values().length, dev.emma.bridge.linker.LinkerRoutes.Scope.values().length);
        assertEquals(Mode.PASSTHROUGH, Mode.of(" Passthrough"));
        assertThrows(IllegalArgumentException.class, () -> Mode.of("fast"));
    }

    @Test
    void linkerAndSitesHaveTheSameGrammarInEverySource() {
        assertEquals(20, AgentConfig.from(Options.parse("sites=20", Map.of(), Map.of())).sites());
        assertEquals(5, AgentConfig.from(Options.parse(null, Map.of(), Map.of("EMMA_SITES", "5"))).sites());
        assertEquals(LinkerScope.ALL, AgentConfig.from(Options.parse(null, Map.of("emma.linker", "ALL"), Map.of())).linker());
        assertEquals(LinkerScope.OFF, AgentConfig.from(Options.parse("linker=off", Map.of(), Map.of("EMMA_LINKER", "all"))).linker());
        OptionException e = assertThrows(OptionException.class, () -> Options.parse("sites=1001", Map.of(), Map.of()));
        assertEquals("bad value '1001' for option sites (-javaagent argument); valid: sites=<0..1000: allocation"
                + " sites printed at exit, 0 = off>", e.getMessage());
        assertThrows(OptionException.class, () -> Options.parse("sites", Map.of(), Map.of()));
        assertThrows(OptionException.class, () -> Options.parse(null, Map.of(), Map.of("EMMA_LINKER", "some")));
    }

    @Test
    void theEffectiveConfigurationIsOneLineWithTheSourceOfEachValue() {
        AgentConfig config = AgentConfig.from(Options.parse("mode=passthrough,summary,stats=2s",
                Map.of("emma.maxMappedBytes", "536870912"), Map.of("EMMA_PURGE_DELAY", "1500ms")));
        String line = config.describe();
        assertFalse(line.contains("\n"), line);
        assertTrue(line.startsWith("mode=passthrough (-javaagent argument), install=premain (default), checks=false (default), "
                + "stats=2s (-javaagent argument), summary=true (-javaagent argument), strict=false (default), "
                + "purgeDelay=1500ms (environment variable EMMA_PURGE_DELAY), "
                + "maxMappedBytes=512m (system property emma.maxMappedBytes), sharedHeaps="), line);
        assertTrue(line.endsWith("backgroundPurge=true (default), linker=known (default), sites=0 (default)"), line);
        assertTrue(AgentConfig.from(Options.parse("install=background", Map.of(), Map.of())).background());
    }
}
