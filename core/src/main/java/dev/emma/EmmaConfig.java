package dev.emma;

import java.time.Duration;

/**
 * How an {@link Emma} instance behaves. Immutable; build one from {@link #defaults()} with the
 * {@code withXxx} methods.
 *
 * @param checks           report bad frees loudly: a double free, an interior-pointer free or a
 *                         foreign free throws {@link InvalidFreeException} (default: ignored). Both
 *                         modes detect them the same way, count them in
 *                         {@link EmmaStats#invalidFrees()}, and never corrupt the heap
 * @param purgeDelay       how long a page or segment must stay empty before it is returned to the
 *                         OS ({@code madvise(DONTNEED)} for pages, {@code munmap} for segments)
 * @param sharedHeaps      how many lock-protected heaps serve virtual threads and blocks above
 *                         the thread-heap size limit; spread by thread id to reduce contention
 * @param maxMappedBytes   cap on the bytes this instance maps; 0 means no cap. Beyond it,
 *                         allocation throws {@link OutOfMemoryError}
 * @param backgroundPurge  whether a daemon thread returns empty memory after {@code purgeDelay};
 *                         without it memory is returned only by {@link Emma#trim()}
 */
public record EmmaConfig(boolean checks, Duration purgeDelay, int sharedHeaps, long maxMappedBytes,
                         boolean backgroundPurge) {

    public EmmaConfig {
        if (purgeDelay == null || purgeDelay.isNegative()) {
            throw new IllegalArgumentException("purgeDelay must be >= 0, was " + purgeDelay);
        }
        if (sharedHeaps < 1 || sharedHeaps > 1024) {
            throw new IllegalArgumentException("sharedHeaps must be in 1..1024, was " + sharedHeaps);
        }
        if (maxMappedBytes < 0) {
            throw new IllegalArgumentException("maxMappedBytes must be >= 0 (0 = no cap), was " + maxMappedBytes);
        }
    }

    public static EmmaConfig defaults() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return new EmmaConfig(false, Duration.ofMillis(500), Math.min(64, Math.max(4, 2 * cpus)), 0, true);
    }

    /**
     * The defaults overridden by system properties {@code emma.checks}, {@code emma.purgeDelayMillis},
     * {@code emma.sharedHeaps}, {@code emma.maxMappedBytes}, {@code emma.backgroundPurge}.
     */
    public static EmmaConfig fromSystemProperties() {
        EmmaConfig c = defaults();
        String v;
        if ((v = System.getProperty("emma.checks")) != null) c = c.withChecks(parseBoolean("emma.checks", v));
        if ((v = System.getProperty("emma.purgeDelayMillis")) != null) c = c.withPurgeDelay(Duration.ofMillis(parseLong("emma.purgeDelayMillis", v)));
        if ((v = System.getProperty("emma.sharedHeaps")) != null) c = c.withSharedHeaps((int) parseLong("emma.sharedHeaps", v));
        if ((v = System.getProperty("emma.maxMappedBytes")) != null) c = c.withMaxMappedBytes(parseLong("emma.maxMappedBytes", v));
        if ((v = System.getProperty("emma.backgroundPurge")) != null) c = c.withBackgroundPurge(parseBoolean("emma.backgroundPurge", v));
        return c;
    }

    public EmmaConfig withChecks(boolean value) {
        return new EmmaConfig(value, purgeDelay, sharedHeaps, maxMappedBytes, backgroundPurge);
    }

    public EmmaConfig withPurgeDelay(Duration value) {
        return new EmmaConfig(checks, value, sharedHeaps, maxMappedBytes, backgroundPurge);
    }

    public EmmaConfig withSharedHeaps(int value) {
        return new EmmaConfig(checks, purgeDelay, value, maxMappedBytes, backgroundPurge);
    }

    public EmmaConfig withMaxMappedBytes(long value) {
        return new EmmaConfig(checks, purgeDelay, sharedHeaps, value, backgroundPurge);
    }

    public EmmaConfig withBackgroundPurge(boolean value) {
        return new EmmaConfig(checks, purgeDelay, sharedHeaps, maxMappedBytes, value);
    }

    private static boolean parseBoolean(String key, String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, was '" + value + "'");
        };
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'");
        }
    }
}
