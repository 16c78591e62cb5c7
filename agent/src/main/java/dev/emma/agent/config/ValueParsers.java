package dev.emma.agent.config;

import java.time.Duration;
import java.util.Locale;

/** Parsers for the value syntaxes of the options; each throws {@link IllegalArgumentException}. */
final class ValueParsers {

    private ValueParsers() {
    }

    /** {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}; a bare number is seconds. Never negative. */
    static Duration period(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Duration result;
        if (value.endsWith("ms")) {
            result = Duration.ofMillis(number(value, 2));
        } else if (value.endsWith("s")) {
            result = Duration.ofSeconds(number(value, 1));
        } else if (value.endsWith("m")) {
            result = Duration.ofMinutes(number(value, 1));
        } else if (value.endsWith("h")) {
            result = Duration.ofHours(number(value, 1));
        } else {
            result = Duration.ofSeconds(number(value, 0));
        }
        return result;
    }

    /** {@code 4096}, {@code 64k}, {@code 512m}, {@code 4g} (powers of 1024). Never negative. */
    static long bytes(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        int shift = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        long number = number(value, shift == 0 ? 0 : 1);
        if (number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("too large: " + text);
        }
        return number << shift;
    }

    static int intInRange(String text, int min, int max) {
        long value = number(text.trim(), 0);
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range: " + text);
        }
        return (int) value;
    }

    private static long number(String value, int suffixLength) {
        String digits = value.substring(0, value.length() - suffixLength);
        long number = Long.parseLong(digits);
        if (number < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        return number;
    }
}
