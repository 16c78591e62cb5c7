package dev.emma.segment;

import dev.emma.page.PageKind;
import dev.emma.page.SizeClasses;

/**
 * Where things are inside a segment. Every mapping Emma makes for blocks is a "segment": 4 MiB
 * aligned, with a header at its start, so the header of any Emma address is found by masking.
 *
 * <pre>
 * pages segment (4 MiB)                       huge mapping (n x 4 MiB)
 * +0      header fields                        +0      header fields
 * +256    page records x 128 B                 +4096.. the block (or +alignment)
 * +16 KiB page bitmaps (alloc | remote) x 1 KiB
 * +header page areas: the header ends after its kind's bitmaps, rounded up to the
 *         kind's area alignment (small 80 KiB, medium 64 KiB, large 24 KiB; a page
 *         wholly inside it is never used, the first page after it is shorter)
 * </pre>
 */
public final class Layout {
    private Layout() {
    }

    public static final int SEGMENT_SHIFT = 22;
    public static final long SEGMENT_SIZE = 1L << SEGMENT_SHIFT;
    public static final long SEGMENT_MASK = SEGMENT_SIZE - 1;

    // Header fields (both segment types; what a segment is, the ownership map says).
    public static final long PAGE_KIND = 8;           // int, PageKind ordinal (pages)
    public static final long SEGMENT_ID = 12;         // int, index in the instance's segment table (pages)
    public static final long MAPPING_LENGTH = 16;     // long, bytes mapped from the segment base
    public static final long HUGE_BLOCK_OFFSET = 24;  // long, block start - segment base (huge)
    public static final long HUGE_USABLE = 32;        // long, usable bytes of the block (huge)
    public static final long HUGE_COMMITTED = 40;     // long, readable and writable bytes from the segment base (huge)
    public static final long HUGE_SURPLUS = 48;       // long, of those past the block, the resident ones counted in HugeBlocks' liveSurplus (huge)

    public static final long PAGE_RECORDS = 256;
    public static final long PAGE_RECORD_SIZE = 128;
    public static final int MAX_PAGES = (int) (SEGMENT_SIZE >>> PageKind.SMALL.shift);

    public static final long BITMAPS = 16 * 1024;
    public static final long BITMAP_BYTES = 512;      // bits for the most blocks a page can hold
    public static final long PAGE_BITMAPS_SIZE = 2 * BITMAP_BYTES;

    public static final long HUGE_HEADER_SIZE = 4096;

    static {
        // Layout constants checked once.
        long maxBlocks = PageKind.SMALL.pageSize / SizeClasses.blockSize(0);
        check(maxBlocks <= BITMAP_BYTES * 8, "a small page holds more blocks than its bitmap has bits");
        check(PAGE_RECORDS + MAX_PAGES * PAGE_RECORD_SIZE <= BITMAPS, "page records overlap the bitmaps");
        for (PageKind kind : PageKind.values()) {
            long pages = SEGMENT_SIZE >>> kind.shift;
            check(BITMAPS + pages * PAGE_BITMAPS_SIZE <= headerSize(kind), kind + " bitmaps overlap the page areas");
            check(headerSize(kind) % kind.areaAlignment == 0, kind + " page areas must start aligned");
            long blocks = (SEGMENT_SIZE - headerSize(kind)) / kind.maxBlockSize;
            check(blocks >= 1, kind + " pages cannot hold their largest block");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("Emma layout: " + what);
        }
    }

    /**
     * Where the page areas of a segment of {@code kind} begin: after the records and bitmaps of its
     * pages, rounded up to the kind's area alignment. Only the metadata of pages in use is ever
     * written (and resident); the header is kept this short because the measure is mapped
     * bytes: 80 KiB is 1.95% of a small-page segment, 64 KiB 1.56% of a medium one, 24 KiB 0.59% of a
     * large one (all three were 128 KiB, 3.1%).
     */
    public static long headerSize(PageKind kind) {
        long pages = SEGMENT_SIZE >>> kind.shift;
        long used = BITMAPS + pages * PAGE_BITMAPS_SIZE;
        return (used + kind.areaAlignment - 1) & -kind.areaAlignment;
    }

    public static long segmentOf(long address) {
        return address & ~SEGMENT_MASK;
    }

    /** The page record for page {@code index} of the segment at {@code base}. */
    public static long pageRecord(long base, int index) {
        return base + PAGE_RECORDS + index * PAGE_RECORD_SIZE;
    }

    /** The index of the page whose record is at {@code pageRecord}. */
    public static int pageIndex(long pageRecord) {
        return (int) ((pageRecord - segmentOf(pageRecord) - PAGE_RECORDS) / PAGE_RECORD_SIZE);
    }

    /** The alloc bitmap of the page whose record is at {@code pageRecord}; its remote bitmap follows at +BITMAP_BYTES. */
    public static long allocBitmap(long pageRecord) {
        return segmentOf(pageRecord) + BITMAPS + pageIndex(pageRecord) * PAGE_BITMAPS_SIZE;
    }

    /** The 64-bit word of {@code bitmap} that holds bit {@code bit}. */
    public static long bitmapWord(long bitmap, long bit) {
        return bitmap + wordOffset(bit >>> 6);
    }

    /**
     * Where word {@code w} (bits {@code 64w..64w+63}) lies in a bitmap: words are spread over the
     * bitmap's eight cache lines in turn (word w in line {@code w % 8}), so that neighbouring runs
     * of 64 blocks have their bits in different lines. A block's owner sets its alloc bit when it
     * hands the block out and a freeing thread reads it; with contiguous words, the blocks a
     * producer hands out and the ones its consumer frees a few hundred allocations later shared
     * one line, which then moved between the two cores on every allocation and every free.
     */
    public static long wordOffset(long w) {
        return ((w & 7) << 6) | ((w >>> 3) << 3);
    }
}
