package dev.emma.page;

/**
 * Size classes from 16 B to 1 MiB. Steps of 16 B up to 128 B; then four classes per power of two
 * up to 4 KiB (1, 1.25, 1.5, 1.75 x 2^k); then eight per power of two up to 1 MiB (1, 1.125, ...).
 *
 * <p>Worst-case internal waste: a request just above a class boundary gets the next class, so at
 * most 25% of the request is wasted between 128 B and 4 KiB, 12.5% above 4 KiB, and under 16 B
 * below 128 B. Every power of two is a class (no waste), and so is {@code 2^k + 4096} for
 * {@code 4 KiB <= 2^k <= 32 KiB}; above that {@code 2^k + 4096} wastes at most 12.5%.
 *
 * <p>Every block size is a multiple of 16, so every block is 16-byte aligned. Which page kind
 * holds a class is decided by {@link PageKind#forBlockSize}.
 */
public final class SizeClasses {
    private SizeClasses() {
    }

    public static final long MAX_SIZE = 1L << 20;
    public static final int COUNT;
    private static final int[] BLOCK_SIZE;
    private static final long[] RECIPROCAL;
    private static final long[] REMOTE_BATCH;
    /**
     * The class of every size from 129 B to {@link #TABLE_MAX}, indexed by {@code (size - 1) >>> 4}
     * (every class up to there is a multiple of 16 B, so sizes in one 16 B step share a class). A
     * table load instead of the formula: the formula's chain (leading zeros, a variable shift) lies
     * on the critical path of every allocation, and cost 13% of a 1 KiB allocate+free pair against
     * the 128 B one (JMH, core called directly: 66.8 against 76.1 ops/us).
     */
    private static final byte[] CLASS_BY_16;
    private static final long TABLE_MAX = 8 * 1024;

    static {
        int[] sizes = new int[128];
        int n = 0;
        for (int s = 16; s <= 128; s += 16) {
            sizes[n++] = s;
        }
        for (int base = 128; base < (int) MAX_SIZE; base *= 2) {
            int steps = base < 4096 ? 4 : 8;
            for (int i = 1; i <= steps; i++) {
                sizes[n++] = base + i * (base / steps);
            }
        }
        COUNT = n;
        CLASS_BY_16 = new byte[(int) (TABLE_MAX >>> 4)];
        for (int i = 0; i < CLASS_BY_16.length; i++) {
            CLASS_BY_16[i] = (byte) classBySteps((i + 1) * 16L);
        }
        BLOCK_SIZE = java.util.Arrays.copyOf(sizes, n);
        RECIPROCAL = new long[n];
        REMOTE_BATCH = new long[n];
        for (int c = 0; c < n; c++) {
            RECIPROCAL[c] = Long.divideUnsigned(-1L, BLOCK_SIZE[c]) + 1;
            long blocksPerPage = PageKind.forBlockSize(BLOCK_SIZE[c]).pageSize / BLOCK_SIZE[c];
            REMOTE_BATCH[c] = Math.max(1, Math.min(32, blocksPerPage / 8));
        }
        // Layout constants checked once: the fast formula agrees with the table at every edge.
        for (int c = 0; c < COUNT; c++) {
            int size = BLOCK_SIZE[c];
            if (classOf(size) != c || (c + 1 < COUNT && classOf(size + 1) != c + 1) || size % 16 != 0) {
                throw new AssertionError("size class table is inconsistent at class " + c + " (" + size + " B)");
            }
        }
    }

    /** The smallest class whose blocks hold {@code size} bytes; {@code 1 <= size <= MAX_SIZE}. */
    public static int classOf(long size) {
        if (size <= 128) {
            return (int) ((size + 15) >>> 4) - 1;
        }
        if (size <= TABLE_MAX) {
            return CLASS_BY_16[(int) ((size - 1) >>> 4)];
        }
        return classBySteps(size);
    }

    /** {@link #classOf} by the formula, for any {@code 1 <= size <= MAX_SIZE}. */
    private static int classBySteps(long size) {
        if (size <= 128) {
            return (int) ((size + 15) >>> 4) - 1;
        }
        long s = size - 1;
        int k = 63 - Long.numberOfLeadingZeros(s);           // 2^k <= s < 2^(k+1), k >= 7
        if (k < 12) {
            return 8 + (k - 7) * 4 + (int) ((s >>> (k - 2)) & 3);
        }
        return 28 + (k - 12) * 8 + (int) ((s >>> (k - 3)) & 7);
    }

    public static int blockSize(int sizeClass) {
        return BLOCK_SIZE[sizeClass];
    }

    /**
     * {@code ceil(2^64 / blockSize)}: {@code Math.unsignedMultiplyHigh(offset, reciprocal)} is
     * {@code offset / blockSize} exactly for every offset below 2^40 (the error term is below
     * {@code offset * blockSize / 2^64}), without a division on the free path.
     */
    public static long reciprocal(int sizeClass) {
        return RECIPROCAL[sizeClass];
    }

    /**
     * How many blocks other threads must have freed into a page before its owner takes them back
     * ahead of carving never-used blocks: one at a time would make every allocation a slow path
     * (and bounce the page's remote word between the threads) under producer/consumer traffic.
     */
    public static long remoteBatch(int sizeClass) {
        return REMOTE_BATCH[sizeClass];
    }
}
