package dev.emma.bridge.sites;

/**
 * The mean number of bytes between two samples, adapted so that sampling costs a bounded time: at
 * most {@link #TARGET_PER_SECOND} samples in a second, whatever the allocation rate (the way
 * {@code jdk.ObjectAllocationSample} is throttled, by bytes).
 *
 * <p>An allocation of {@code size} bytes is sampled with probability {@code min(1, size / mean)},
 * so a big block is more likely to be sampled than a small one, and a sample stands for
 * {@code max(size, mean)} bytes (its size over its probability): the sum over samples is an
 * unbiased estimate of the bytes, whatever the mean was when each was taken. The mean is a power
 * of two: the decision is one random number, a mask and a compare.
 *
 * <p>Adaptation: a window starts at a sample; once {@link #TARGET_PER_SECOND} samples fall in a
 * window shorter than a second, the mean doubles and a new window starts; a window that lasted a
 * second or more with fewer than an eighth of the target halves it (not below {@link #MIN_BYTES}).
 */
final class SampleInterval {

    static final long MIN_BYTES = 16 * 1024;
    static final long START_BYTES = 256 * 1024;
    static final long MAX_BYTES = 1L << 40;
    static final int TARGET_PER_SECOND = 256;
    private static final long SECOND = 1_000_000_000L;

    /** Read on every allocation (a plain load on x86); written only by {@link #sampled}. */
    private volatile long bytes = START_BYTES;
    private long windowStart = Long.MIN_VALUE;
    private int inWindow;

    /** The mean interval now; a power of two. */
    long bytes() {
        return bytes;
    }

    /** Counts one sample taken at {@code now} (nanoseconds) and adapts the mean. */
    synchronized void sampled(long now) {
        if (windowStart == Long.MIN_VALUE) {
            windowStart = now;
        }
        inWindow++;
        long elapsed = now - windowStart;
        if (elapsed < SECOND) {
            if (inWindow >= TARGET_PER_SECOND && bytes < MAX_BYTES) {
                bytes <<= 1;
                newWindow(now);
            }
        } else {
            if (inWindow < TARGET_PER_SECOND / 8 && bytes > MIN_BYTES) {
                bytes >>= 1;
            }
            newWindow(now);
        }
    }

    private void newWindow(long now) {
        windowStart = now;
        inWindow = 0;
    }
}
