package dev.emma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.options.Option;
import dev.emma.options.Options;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmmaConfigTest {

    @Test
    void defaultsAreValidAndQuiet() {
        EmmaConfig c = EmmaConfig.defaults();
        assertFalse(c.checks());
        assertTrue(c.backgroundPurge());
        assertEquals(0, c.maxMappedBytes());
        assertTrue(c.sharedHeaps() >= 1 && c.sharedHeaps() <= 1024);
        assertFalse(c.purgeDelay().isNegative());
    }

    @Test
    void withersChangeOneFieldEach() {
        EmmaConfig d = EmmaConfig.defaults();
        assertEquals(new EmmaConfig(true, d.purgeDelay(), d.sharedHeaps(), d.maxMappedBytes(), d.backgroundPurge()), d.withChecks(true));
        assertEquals(Duration.ofMillis(7), d.withPurgeDelay(Duration.ofMillis(7)).purgeDelay());
        assertEquals(3, d.withSharedHeaps(3).sharedHeaps());
        assertEquals(1L << 30, d.withMaxMappedBytes(1L << 30).maxMappedBytes());
        assertFalse(d.withBackgroundPurge(false).backgroundPurge());
    }

    @Test
    void invalidValuesAreRejected() {
        EmmaConfig d = EmmaConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withPurgeDelay(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> d.withPurgeDelay(null));
        assertThrows(IllegalArgumentException.class, () -> d.withSharedHeaps(0));
        assertThrows(IllegalArgumentException.class, () -> d.withSharedHeaps(1025));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxMappedBytes(-1));
    }

    @Test
    void optionsFromEverySourceOverrideTheDefaultsInTheOneGrammar() {
        Options options = Options.parse(null, Map.of("emma.checks", "true", "emma.purgeDelay", "25ms", "emma.sharedHeaps", "6",
                "emma.maxMappedBytes", "1g"), Map.of("EMMA_BACKGROUND_PURGE", "false", "EMMA_MAX_MAPPED_BYTES", "2g"));
        assertEquals(new EmmaConfig(true, Duration.ofMillis(25), 6, 1L << 30, false), EmmaConfig.from(options));
        assertEquals(EmmaConfig.defaults(), EmmaConfig.from(Options.parse(null, Map.of(), Map.of())));
    }

    /** Regression: {@code -Demma.maxMappedBytes=512m} was accepted by the agent and rejected here. */
    @Test
    void theProcessPropertiesUseTheSameGrammar() {
        String saved = System.getProperty("emma.maxMappedBytes");
        System.setProperty("emma.maxMappedBytes", "512m");
        try {
            assertEquals(512L << 20, EmmaConfig.fromProcess().maxMappedBytes());
        } finally {
            if (saved == null) {
                System.clearProperty("emma.maxMappedBytes");
            } else {
                System.setProperty("emma.maxMappedBytes", saved);
            }
        }
    }

    @Test
    void eachOptionIsWrittenBackInItsGrammar() {
        EmmaConfig c = new EmmaConfig(true, Duration.ofSeconds(2), 6, 512L << 20, false);
        assertEquals("true", c.format(Option.CHECKS));
        assertEquals("2s", c.format(Option.PURGE_DELAY));
        assertEquals("6", c.format(Option.SHARED_HEAPS));
        assertEquals("512m", c.format(Option.MAX_MAPPED_BYTES));
        assertEquals("false", c.format(Option.BACKGROUND_PURGE));
        assertThrows(IllegalArgumentException.class, () -> c.format(Option.MODE));
    }
}
