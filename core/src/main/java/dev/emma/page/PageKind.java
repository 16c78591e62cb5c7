package dev.emma.page;

/**
 * The three page sizes. A segment holds pages of one kind only, so the page of an address is
 * {@code (address - segmentBase) >> shift} with no search. Small pages hold at least eight blocks,
 * medium pages four (fewer, larger pages would each keep more carved but unused memory per class
 * and heap: 256 KiB measured lower peak RSS than 512 KiB under Larson-like churn).
 */
public enum PageKind {
    /** 64 KiB pages for blocks up to 8 KiB; served by per-thread heaps without locks. */
    SMALL(16, 8 * 1024, 8 * 1024),
    /** 256 KiB pages for blocks up to 64 KiB. */
    MEDIUM(18, 64 * 1024, 64 * 1024),
    /** One page per segment for blocks up to 1 MiB (multiples of 8 KiB). */
    LARGE(22, (int) SizeClasses.MAX_SIZE, 8 * 1024);

    public final int shift;
    public final long pageSize;
    public final int maxBlockSize;
    /**
     * What every page area of this kind starts on: its largest power-of-two block, so that a
     * power-of-two block sits at a multiple of its size (aligned allocation relies on it), and
     * 8 KiB for large pages, whose classes are multiples of 8 KiB.
     */
    public final long areaAlignment;

    PageKind(int shift, int maxBlockSize, long areaAlignment) {
        this.shift = shift;
        this.pageSize = 1L << shift;
        this.maxBlockSize = maxBlockSize;
        this.areaAlignment = areaAlignment;
    }

    public static PageKind forBlockSize(int blockSize) {
        if (blockSize <= SMALL.maxBlockSize) return SMALL;
        if (blockSize <= MEDIUM.maxBlockSize) return MEDIUM;
        return LARGE;
    }

    private static final PageKind[] VALUES = values();

    public static PageKind of(int ordinal) {
        return VALUES[ordinal];
    }
}
