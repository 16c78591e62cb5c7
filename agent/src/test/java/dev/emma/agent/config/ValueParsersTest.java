package dev.emma.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValueParsersTest {

    @Test
    void periods() {
        assertEquals(Duration.ofMillis(500), ValueParsers.period("500ms"));
        assertEquals(Duration.ofSeconds(10), ValueParsers.period(" 10s "));
        assertEquals(Duration.ofMinutes(5), ValueParsers.period("5m"));
        assertEquals(Duration.ofHours(1), ValueParsers.period("1H"));
        assertEquals(Duration.ofSeconds(3), ValueParsers.period("3"));
        assertThrows(IllegalArgumentException.class, () -> ValueParsers.period("soon"));
        assertThrows(IllegalArgumentException.class, () -> ValueParsers.period("-1s"));
        assertThrows(IllegalArgumentException.class, () -> ValueParsers.period(""));
    }

    @Test
    void bytes() {
        assertEquals(4096, ValueParsers.bytes("4096"));
        assertEquals(64 << 10, ValueParsers.bytes("64k"));
        assertEquals(512L << 20, ValueParsers.bytes("512M"));
        assertEquals(4L << 30, ValueParsers.bytes("4g"));
        assertThrows(IllegalArgumentException.class, () -> ValueParsers.bytes("k"));
        assertThrows(IllegalArgumentException.class, () -> ValueParsers.bytes("9999999999999t"));
    }
}
