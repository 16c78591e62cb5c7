package dev.emma.bench.memory;

import java.util.SplittableRandom;

/**
 * A precomputed sequence of log-uniform sizes in [min, max], so that picking a size costs an array
 * read, not a logarithm, inside the measured loop. Every value of a power-of-two range is equally
 * likely, as in larson and mimalloc-bench.
 */
public final class SizeTable {

    private final long[] sizes;
    private final int mask;

    public SizeTable(long min, long max, int log2Length, long seed) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("need 1 <= min <= max, got " + min + ".." + max);
        }
        sizes = new long[1 << log2Length];
        mask = sizes.length - 1;
        SplittableRandom random = new SplittableRandom(seed);
        double lo = Math.log(min);
        double hi = Math.log(max + 1.0);
        for (int i = 0; i < sizes.length; i++) {
            long size = (long) Math.exp(lo + random.nextDouble() * (hi - lo));
            sizes[i] = Math.clamp(size, min, max);
        }
    }

    /** The size at position {@code i} (wraps around). */
    public long get(int i) {
        return sizes[i & mask];
    }

    public int length() {
        return sizes.length;
    }
}
