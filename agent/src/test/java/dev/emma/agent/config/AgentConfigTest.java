package dev.emma.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
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
        assertTrue(line.endsWith("backgroundPurge=true (default)"), line);
        assertTrue(AgentConfig.from(Options.parse("install=background", Map.of(), Map.of())).background());
    }
}
