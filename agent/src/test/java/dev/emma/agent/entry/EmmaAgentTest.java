package dev.emma.agent.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EmmaAgentTest {

    @Test
    void featureVersionOfOldAndNewSpellings() {
        assertEquals(8, EmmaAgent.featureVersion("1.8"));
        assertEquals(17, EmmaAgent.featureVersion("17"));
        assertEquals(25, EmmaAgent.featureVersion("25"));
        assertEquals(0, EmmaAgent.featureVersion(null));
        assertEquals(0, EmmaAgent.featureVersion("x"));
    }

    @Test
    void entryClassesLoadOnJava8() throws Exception {
        for (Class<?> type : new Class<?>[] {EmmaAgent.class, StrictFlag.class}) {
            try (var in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
                byte[] header = in.readNBytes(8);
                int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
                assertEquals(52, major, type + " must be compiled for Java 8 (class file version 52)");
            }
        }
    }
}
