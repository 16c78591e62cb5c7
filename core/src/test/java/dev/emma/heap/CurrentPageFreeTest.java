package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.InvalidFreeException;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.segment.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The owner's free into its current page finds the block's index from the heap's cached copies of
 * the page's fields (Heap.indexInPage), not from the page record: it must reject what the record's
 * check rejects, here the addresses past the last block that fits, in the page's tail.
 */
class CurrentPageFreeTest {
    private final Allocator emma = new Allocator(EmmaConfig.defaults().withChecks(true).withBackgroundPurge(false));

    @AfterEach
    void close() {
        emma.close();
    }

    @Test
    void anAddressInTheCurrentPagesTailIsNotABlock() {
        long size = 48; // 64 KiB / 48 leaves a tail
        long block = emma.allocate(size);
        long p = pageOf(block);
        long end = Page.areaStart(p) + (long) Page.capacity(p) * Page.blockSize(p);
        assertEquals(p, pageOf(end), "the page has a tail past its last block");
        for (long address : new long[] {end, end + 16, end - 8}) {
            InvalidFreeException e = assertThrows(InvalidFreeException.class, () -> emma.free(address));
            assertTrue(e.getMessage().contains("not the start of a block in use"), e.getMessage());
        }
        emma.free(block);
        assertEquals(3, emma.stats().invalidFrees());
        assertEquals(0, emma.stats().liveBlocks());
    }

    private static long pageOf(long address) {
        long base = Layout.segmentOf(address);
        return Layout.pageRecord(base, (int) ((address - base) >>> PageKind.SMALL.shift));
    }
}
