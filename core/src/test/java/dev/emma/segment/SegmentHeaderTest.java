package dev.emma.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.page.PageKind;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pages segment's header is no longer than its kind's metadata needs (at most 2% of the mapped
 * segment), and the page it cuts short is used, last, with its blocks as aligned as any other's.
 */
class SegmentHeaderTest {

    @Test
    void eachKindsHeaderHoldsItsMetadataInAtMostTwoPercentOfTheSegment() {
        for (PageKind kind : PageKind.values()) {
            long header = Layout.headerSize(kind);
            long pages = Layout.SEGMENT_SIZE >>> kind.shift;
            assertTrue(header >= Layout.BITMAPS + pages * Layout.PAGE_BITMAPS_SIZE, kind + ": bitmaps fit");
            assertEquals(0, header % kind.areaAlignment, kind + ": areas start aligned");
            assertTrue(header * 50 <= Layout.SEGMENT_SIZE, kind + ": " + header + " bytes is more than 2%");
        }
    }

    @Test
    void aSmallPageSegmentHandsOutItsShortPageLastWithAlignedBlocks() {
        // 8 KiB blocks: 8 to a whole 64 KiB page; page 0 lies in the 80 KiB header, page 1 holds 6.
        List<Long> first = fillOneSegment(8192);
        assertEquals(62 * 8 + 6, first.size(), "blocks of the first segment");
        checkLayout(first, 8192, PageKind.SMALL);
    }

    @Test
    void aMediumPageSegmentHandsOutItsShortPageLastWithAlignedBlocks() {
        // 64 KiB blocks: 4 to a whole 256 KiB page; page 0 holds 3 after the 64 KiB header.
        List<Long> first = fillOneSegment(65536);
        assertEquals(15 * 4 + 3, first.size(), "blocks of the first segment");
        checkLayout(first, 65536, PageKind.MEDIUM);
    }

    /** The blocks of {@code size} one thread gets from its first segment, all live. */
    private static List<Long> fillOneSegment(long size) {
        List<Long> blocks = new ArrayList<>();
        try (Emma emma = Emma.create(EmmaConfig.defaults().withBackgroundPurge(false).withSharedHeaps(1))) {
            long block = emma.allocate(size);
            long segment = Layout.segmentOf(block);
            while (Layout.segmentOf(block) == segment) {
                blocks.add(block);
                block = emma.allocate(size);
            }
        }
        return blocks;
    }

    private static void checkLayout(List<Long> blocks, long size, PageKind kind) {
        long base = Layout.segmentOf(blocks.getFirst());
        long header = Layout.headerSize(kind);
        long shortPageEnd = (header + kind.pageSize - 1) & -kind.pageSize;
        assertEquals(base + shortPageEnd, blocks.getFirst(), "the first block is on the first whole page");
        int inShortPage = 0;
        for (int i = 0; i < blocks.size(); i++) {
            long offset = blocks.get(i) - base;
            assertTrue(offset >= header, "a block inside the header at offset " + offset);
            assertEquals(0, offset % size, "a block of " + size + " bytes not aligned to its size");
            if (offset < shortPageEnd) {
                inShortPage++;
                assertTrue(i >= blocks.size() - (shortPageEnd - header) / size, "the short page was handed out before a whole one");
            }
        }
        assertEquals((shortPageEnd - header) / size, inShortPage, "blocks on the short page");
    }
}
