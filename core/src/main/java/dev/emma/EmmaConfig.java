package dev.emma;

import dev.emma.options.Option;
import dev.emma.options.Options;
import dev.emma.options.Units;
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
 * @param sharedHeaps      how many lock-protected heaps serve virtual threads and large blocks
 *                         (72 KiB-1 MiB, over at most four of them: each may map a segment per
 *                         class), spread by thread id to reduce contention
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
     * The defaults overridden by this process's {@code -Demma.*} system properties and {@code EMMA_*}
     * environment variables ({@code -Demma.purgeDelay=2s}, {@code EMMA_MAX_MAPPED_BYTES=512m}): the
     * option table of {@link dev.emma.options.Option}, its grammar and its precedence.
     *
     * @throws dev.emma.options.OptionException for a bad value or an unknown {@code emma.*} name (an unknown {@code EMMA_*} variable is ignored)
     */
    public static EmmaConfig fromProcess() {
        return from(Options.ofProcess(null));
    }

    /** Replaced by {@link #fromProcess()}: system properties and environment, one grammar. */
    @Deprecated(forRemoval = true)
    public static EmmaConfig fromSystemProperties() {
        return fromProcess();
    }

    /** The defaults overridden by the allocator's options that {@code options} holds. */
    public static EmmaConfig from(Options options) {
        EmmaConfig c = defaults();
        Object v;
        if ((v = options.valueIfSet(Option.CHECKS)) != null) c = c.withChecks((Boolean) v);
        if ((v = options.valueIfSet(Option.PURGE_DELAY)) != null) c = c.withPurgeDelay((Duration) v);
        if ((v = options.valueIfSet(Option.SHARED_HEAPS)) != null) c = c.withSharedHeaps((Integer) v);
        if ((v = options.valueIfSet(Option.MAX_MAPPED_BYTES)) != null) c = c.withMaxMappedBytes((Long) v);
        if ((v = options.valueIfSet(Option.BACKGROUND_PURGE)) != null) c = c.withBackgroundPurge((Boolean) v);
        return c;
    }

    /** This configuration's value of one of the allocator's options, as its option grammar writes it. */
    public String format(Option option) {
        return switch (option) {
            case CHECKS -> Boolean.toString(checks);
            case PURGE_DELAY -> Units.formatPeriod(purgeDelay);
            case SHARED_HEAPS -> Integer.toString(sharedHeaps);
            case MAX_MAPPED_BYTES -> Units.formatBytes(maxMappedBytes);
            case BACKGROUND_PURGE -> Boolean.toString(backgroundPurge);
            default -> throw new IllegalArgumentException(option.key() + " is not an option of the allocator");
        };
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
}
