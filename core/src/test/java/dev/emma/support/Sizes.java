package dev.emma.support;

import java.util.random.RandomGenerator;

/** Random request sizes. */
public final class Sizes {
    public static final long KiB = 1024;
    public static final long MiB = 1024 * KiB;

    private Sizes() {
    }

    /** Log-uniform in {@code [min, max]}: as many 16-32 B requests as 2-4 MiB ones. */
    public static long logUniform(RandomGenerator random, long min, long max) {
        double lo = Math.log(min);
        double hi = Math.log(max + 1.0);
        long size = (long) Math.exp(lo + random.nextDouble() * (hi - lo));
        return Math.max(min, Math.min(max, size));
    }
}
