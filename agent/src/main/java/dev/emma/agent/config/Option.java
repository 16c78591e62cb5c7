package dev.emma.agent.config;

import java.util.Locale;

/** The options the agent accepts, with their spellings in each source and their valid values. */
enum Option {
    MODE("mode", "emma|passthrough|off"),
    CHECKS("checks", "true|false"),
    STATS("stats", "<period, e.g. 10s or 500ms>|off"),
    SUMMARY("summary", "true|false"),
    STRICT("strict", "true|false"),
    PURGE_DELAY("purgeDelay", "<period, e.g. 500ms or 2s>"),
    MAX_MAPPED_BYTES("maxMappedBytes", "<bytes, e.g. 512m or 4g; 0 = no cap>"),
    SHARED_HEAPS("sharedHeaps", "<1..1024>"),
    BACKGROUND_PURGE("backgroundPurge", "true|false"),
    LINKER("linker", "known|all|off"),
    SITES("sites", "<0..1000: allocation sites printed at exit, 0 = off>");

    final String key;
    final String validValues;

    Option(String key, String validValues) {
        this.key = key;
        this.validValues = validValues;
    }

    String systemProperty() {
        return "emma." + key;
    }

    /** {@code purgeDelay} is {@code EMMA_PURGE_DELAY}. */
    String environmentVariable() {
        return "EMMA_" + name();
    }

    boolean isBoolean() {
        return validValues.equals("true|false");
    }

    static Option byKey(String key) {
        for (Option option : values()) {
            if (option.key.equals(key)) {
                return option;
            }
        }
        return null;
    }

    static String describeAll() {
        StringBuilder text = new StringBuilder();
        for (Option option : values()) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(option.key).append('=').append(option.validValues);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return key.toLowerCase(Locale.ROOT);
    }
}
