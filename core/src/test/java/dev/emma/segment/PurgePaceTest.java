package dev.emma.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emma.memory.Memory;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's purge pace: free pages stay resident for the purge delay while they are few, but once
 * they exceed an eighth of the pages in use (thread churn: dead heaps' pages come back faster than
 * the delay lets them go), those free for a purger tick (a quarter of the delay) are purged. On the
 * code before, a page was purged only after the whole delay.
 */
class PurgePaceTest {
    private static final long DELAY = 1_000_000_000L;
    private static final long PAGE = 1L << PageKind.SMALL.shift;

    private final Mapper mapper = new Mapper(new SegmentMap(), 0);
    private final SegmentPool pool = new SegmentPool(mapper);

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void manyFreePagesArePurgedAfterATick() {
        long[] pages = take(400); // 25 MiB in use
        release(pages, 0, 200);   // 12.5 MiB free and resident: over the budget (4 MiB, or 1/8 in use)
        assertEquals(200 * PAGE, pool.residentFreeBytes());
        long purged = mapper.purgedBytes();

        pool.purge(System.nanoTime() + DELAY / 4, DELAY);

        assertEquals(0, pool.residentFreeBytes());
        assertEquals(200 * PAGE, mapper.purgedBytes() - purged, "every carved byte of them went back");
    }

    @Test
    void fewFreePagesStayForTheWholeDelay() {
        long[] pages = take(400);
        release(pages, 0, 20); // 1.25 MiB: within the budget
        long purged = mapper.purgedBytes();

        pool.purge(System.nanoTime() + DELAY / 2, DELAY);
        assertEquals(20 * PAGE, pool.residentFreeBytes(), "kept for reuse: no purge before the delay");
        assertEquals(purged, mapper.purgedBytes());

        pool.purge(System.nanoTime() + DELAY, DELAY);
        assertEquals(0, pool.residentFreeBytes());
    }

    @Test
    void aReusedFreePageIsNoLongerCountedAsResidentFree() {
        long[] pages = take(10);
        release(pages, 0, 10);
        assertEquals(10 * PAGE, pool.residentFreeBytes());
        take(4); // the resident ones first
        assertEquals(6 * PAGE, pool.residentFreeBytes());
    }

    private long[] take(int n) {
        long[] pages = new long[n];
        for (int i = 0; i < n; i++) {
            pages[i] = pool.takePage(PageKind.SMALL);
            // As if carved to its end: the whole page was written (DIRTY_END follows the bump on release).
            Memory.putLong(pages[i] + Page.BUMP, SegmentPool.areaEnd(pages[i]));
        }
        return pages;
    }

    private void release(long[] pages, int from, int to) {
        for (int i = from; i < to; i++) {
            pool.releasePage(pages[i]);
        }
    }
}
