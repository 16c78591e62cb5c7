package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.heap.HandOverHooks.Point;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.segment.Layout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A thread heap keeps its used-up page of a large medium class (few blocks per page: one such page,
 * {@link Heap#retainBound}) and makes it current again when a block came back into it, with no
 * class lock; trim() lets go of it once it is empty.
 */
class MediumRetainTest {
    private static final long SIZE = 48 * 1024; // 5 blocks to a 256 KiB page

    private final CountingHooks recorder = new CountingHooks();
    private final Allocator emma = new Allocator(EmmaConfig.defaults().withChecks(true).withBackgroundPurge(false), recorder);

    @AfterEach
    void close() {
        emma.close();
    }

    private static long pageOf(long address) {
        long base = Layout.segmentOf(address);
        return Layout.pageRecord(base, (int) ((address - base) >>> PageKind.MEDIUM.shift));
    }

    /**
     * Before: the used-up page was detached (class lock), the free into it queued it (class lock)
     * and the refill adopted it (class lock).
     */
    @Test
    void aUsedUpPageIsRetakenWithoutAClassLock() {
        List<Long> blocks = new ArrayList<>();
        long first = emma.allocate(SIZE);
        blocks.add(first);
        long page = pageOf(first);
        long next;
        while (pageOf(next = emma.allocate(SIZE)) == page) {
            blocks.add(next);
        }
        blocks.add(next); // the first block of the second page: the first page is retained, not detached
        assertEquals(Page.OWNED, Page.state(page));
        recorder.reset();

        emma.free(first); // the owner's free into its retained page: plain stores, no lock
        long second = pageOf(next);
        long reused;
        while (pageOf(reused = emma.allocate(SIZE)) == second) {
            blocks.add(reused);
        }
        assertEquals(first, reused, "the retained page's freed block is the next one handed out");
        assertEquals(0, recorder.count(Point.CLASS_LOCK), "class locks taken");
        assertTrue(recorder.count(Point.RETAKEN) >= 1);

        for (long b : blocks) {
            if (b != first) {
                emma.free(b);
            }
        }
        emma.free(reused);
        emma.trim();
        assertEquals(Page.FREE, Page.state(page), "trim() let go of the heap's emptied pages");
        assertEquals(Page.FREE, Page.state(second));
        assertEquals(0, emma.stats().liveBlocks());
    }
}
