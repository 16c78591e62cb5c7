package dev.emma.support;

/**
 * Seeds of the randomised tests: fresh each run (so CI explores), or fixed with
 * {@code -Demma.test.seed=N} to replay a failure. Every assertion message of a randomised test
 * names its seed.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long base(String testName) {
        String fixed = System.getProperty("emma.test.seed");
        long seed = fixed != null ? Long.parseLong(fixed.trim()) : System.nanoTime() ^ Patterns.mix(System.currentTimeMillis());
        System.out.println(testName + ": seed " + seed + " (replay with -Demma.test.seed=" + seed + ")");
        return seed;
    }
}
