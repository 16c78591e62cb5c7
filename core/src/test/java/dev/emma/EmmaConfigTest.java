package dev.emma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void systemPropertiesOverrideTheDefaults() {
        Map<String, String> values = Map.of("emma.checks", "true", "emma.purgeDelayMillis", "25", "emma.sharedHeaps", "6",
                "emma.maxMappedBytes", "1073741824", "emma.backgroundPurge", "false");
        withProperties(values, () -> {
            EmmaConfig c = EmmaConfig.fromSystemProperties();
            assertEquals(new EmmaConfig(true, Duration.ofMillis(25), 6, 1L << 30, false), c);
        });
        withProperties(Map.of(), () -> assertEquals(EmmaConfig.defaults(), EmmaConfig.fromSystemProperties()));
    }

    @Test
    void malformedPropertiesAreReportedByName() {
        for (Map.Entry<String, String> bad : Map.of("emma.checks", "yes", "emma.purgeDelayMillis", "soon",
                "emma.sharedHeaps", "0", "emma.maxMappedBytes", "-5").entrySet()) {
            withProperties(Map.of(bad.getKey(), bad.getValue()), () -> {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, EmmaConfig::fromSystemProperties);
                assertTrue(e.getMessage().contains(bad.getKey().substring("emma.".length()).replace("Millis", "")),
                        bad + ": " + e.getMessage());
            });
        }
    }

    private static final String[] KEYS = {"emma.checks", "emma.purgeDelayMillis", "emma.sharedHeaps", "emma.maxMappedBytes",
            "emma.backgroundPurge"};

    private static void withProperties(Map<String, String> values, Runnable body) {
        Map<String, String> saved = new java.util.HashMap<>();
        for (String key : KEYS) {
            String old = System.getProperty(key);
            if (old != null) {
                saved.put(key, old);
            }
            System.clearProperty(key);
        }
        values.forEach(System::setProperty);
        try {
            body.run();
        } finally {
            for (String key : KEYS) {
                System.clearProperty(key);
            }
            saved.forEach(System::setProperty);
        }
    }
}
