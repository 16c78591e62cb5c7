package dev.emma.options;

import java.time.Duration;
import java.util.Locale;

/**
 * The one grammar of sizes and periods, parsed and written back: {@code 512m}, {@code 4g},
 * {@code 64k} or plain bytes; {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}. Units are powers of
 * 1024 for sizes and any case is accepted. A period needs its unit (a bare {@code 500} could be
 * seconds or milliseconds), except {@code 0}. Nothing is negative.
 */
public final class Units {

    private Units() {
    }

    public static long parseBytes(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        int shift = value.isEmpty() ? 0 : switch (value.charAt(value.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        long number = number(value.substring(0, value.length() - (shift == 0 ? 0 : 1)));
        if (number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("too large: " + text);
        }
        return number << shift;
    }

    public static Duration parsePeriod(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith("ms")) {
            return Duration.ofMillis(number(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("s")) {
            return Duration.ofSeconds(number(value.substring(0, value.length() - 1)));
        }
        if (value.endsWith("m")) {
            return Duration.ofMinutes(number(value.substring(0, value.length() - 1)));
        }
        if (value.endsWith("h")) {
            return Duration.ofHours(number(value.substring(0, value.length() - 1)));
        }
        if (number(value) == 0) {
            return Duration.ZERO;
        }
        throw new IllegalArgumentException("a period needs a unit: " + text);
    }

    public static int parseIntInRange(String text, int min, int max) {
        long value = number(text.trim());
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range: " + text);
        }
        return (int) value;
    }

    /** The shortest exact form: {@code 536870912} is {@code 512m}. */
    public static String formatBytes(long bytes) {
        String[] units = {"t", "g", "m", "k"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return (bytes / unit) + units[i];
            }
        }
        return Long.toString(bytes);
    }

    /** The shortest exact form: 2,000 ms is {@code 2s}. */
    public static String formatPeriod(Duration period) {
        long millis = period.toMillis();
        if (millis == 0) {
            return "0";
        }
        long[] sizes = {3_600_000, 60_000, 1_000};
        String[] units = {"h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0) {
                return (millis / sizes[i]) + units[i];
            }
        }
        return millis + "ms";
    }

    /** Plain decimal digits only: no sign, no spaces, no {@code _}. */
    private static long number(String digits) {
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("no number");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                throw new IllegalArgumentException("not a number: " + digits);
            }
        }
        return Long.parseLong(digits); // NumberFormatException (an IllegalArgumentException) when too long
    }
}
