package dev.emma.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void sizesArePlainBytesOrPowersOf1024() {
        assertEquals(4096, Units.parseBytes("4096"));
        assertEquals(64L << 10, Units.parseBytes("64k"));
        assertEquals(512L << 20, Units.parseBytes("512m"));
        assertEquals(512L << 20, Units.parseBytes(" 512M "));
        assertEquals(4L << 30, Units.parseBytes("4g"));
        assertEquals(1L << 40, Units.parseBytes("1T"));
        assertEquals(0, Units.parseBytes("0"));
        for (String bad : new String[] {"", "m", "-5", "5x", "1.5g", "+5", "5 m", "9999999999999999999", "16777216t"}) {
            assertThrows(IllegalArgumentException.class, () -> Units.parseBytes(bad), bad);
        }
    }

    @Test
    void periodsNeedAUnitExceptZero() {
        assertEquals(Duration.ofMillis(250), Units.parsePeriod("250ms"));
        assertEquals(Duration.ofSeconds(10), Units.parsePeriod("10s"));
        assertEquals(Duration.ofMinutes(5), Units.parsePeriod("5M"));
        assertEquals(Duration.ofHours(1), Units.parsePeriod("1h"));
        assertEquals(Duration.ZERO, Units.parsePeriod("0"));
        for (String bad : new String[] {"", "500", "s", "-1s", "1.5s", "10 s", "1d"}) {
            assertThrows(IllegalArgumentException.class, () -> Units.parsePeriod(bad), bad);
        }
    }

    @Test
    void valuesAreWrittenBackInTheShortestExactForm() {
        assertEquals("512m", Units.formatBytes(512L << 20));
        assertEquals("4g", Units.formatBytes(4L << 30));
        assertEquals("1536k", Units.formatBytes(1536L << 10));
        assertEquals("1000", Units.formatBytes(1000));
        assertEquals("0", Units.formatBytes(0));
        assertEquals("500ms", Units.formatPeriod(Duration.ofMillis(500)));
        assertEquals("2s", Units.formatPeriod(Duration.ofSeconds(2)));
        assertEquals("90s", Units.formatPeriod(Duration.ofSeconds(90)));
        assertEquals("1h", Units.formatPeriod(Duration.ofMinutes(60)));
        assertEquals("0", Units.formatPeriod(Duration.ZERO));
        for (String text : new String[] {"512m", "4g", "1536k", "1000"}) {
            assertEquals(text, Units.formatBytes(Units.parseBytes(text)));
        }
    }

    @Test
    void integersInRange() {
        assertEquals(8, Units.parseIntInRange("8", 1, 1024));
        assertThrows(IllegalArgumentException.class, () -> Units.parseIntInRange("0", 1, 1024));
        assertThrows(IllegalArgumentException.class, () -> Units.parseIntInRange("1025", 1, 1024));
    }
}
