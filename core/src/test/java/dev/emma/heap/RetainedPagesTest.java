package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.heap.HandOverHooks.Point;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.segment.Layout;
import dev.emma.support.Brief;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A thread heap keeps its full pages (retained) and its emptied ones (spares), within a bound per
 * class, so that a batch larger than a page is served and freed by its owner without any shared
 * structure: no class lock, no pool, no remote free. Observed through {@link HandOverHooks} points
 * (checks mode verifies the page invariant at every hand-over on the way).
 */
class RetainedPagesTest {
    private static final long SIZE = 4096;
    private static final int PER_PAGE = 16;   // 4 KiB blocks in a 64 KiB page
    private static final int BATCH = 64;      // four pages: the retain bound of 4 KiB blocks

    private final CountingHooks recorder = new CountingHooks();
    private final Allocator emma = new Allocator(EmmaConfig.defaults().withChecks(true).withBackgroundPurge(false), recorder);

    @AfterEach
    void close() {
        emma.close();
    }

    /**
     * ThreadedBatchBenchmark's loop: 64 allocations of 4 KiB (four pages), then their frees, oldest
     * first. After the first round, the owner's pages are its current one, retained ones and
     * spares: no lock, no fresh page, no remote free. (Before retention every full page was
     * detached: each round took class locks and pool pages again.)
     */
    @Test
    void aSteadyBatchOfSeveralPagesTouchesNoSharedStructure() {
        recorder.watched = Thread.currentThread();
        long[] blocks = new long[BATCH];
        batch(blocks);
        recorder.reset();
        for (int round = 0; round < 20; round++) {
            batch(blocks);
        }
        assertEquals(0, recorder.count(Point.CLASS_LOCK), "class locks taken");
        assertEquals(0, recorder.count(Point.FRESH_PAGE), "fresh pages taken from the pool");
        assertEquals(0, recorder.count(Point.REMOTE_CLAIMED), "frees that went the remote way");
        assertTrue(recorder.count(Point.RETAKEN) >= 20 * 3, "the heap served the batch from its own pages: "
                + recorder.count(Point.RETAKEN));
        assertAllFreed();
    }

    /**
     * The owner frees into its full, non-current page: plain owner frees (no remote count, no
     * lock), the page stays OWNED; its last free makes it a spare, which trim() gives back.
     */
    @Test
    void theOwnersFreesIntoItsRetainedPageAreOwnerFrees() {
        long[] blocks = allocate(PER_PAGE + 1);  // the first page is full: retained
        long page = pageOf(blocks[0]);
        assertEquals(Page.OWNED, Page.state(page));
        assertTrue(page != pageOf(blocks[PER_PAGE]), "the last block is on the next page");
        recorder.watched = Thread.currentThread();
        recorder.reset(); // count from here: the allocations above took a fresh page
        for (int i = 0; i < PER_PAGE; i++) {
            emma.free(blocks[i]);
            assertEquals(Page.OWNED, Page.state(page), "after " + (i + 1) + " frees");
            assertEquals(PER_PAGE - 1 - i, Page.used(page), "the record's used count");
            assertEquals(0, Page.remoteCount(dev.emma.memory.Memory.getLong(page + Page.REMOTE)));
        }
        assertEquals(0, recorder.count(Point.REMOTE_CLAIMED));
        assertEquals(0, recorder.count(Point.CLASS_LOCK));
        // Emptied: a spare, still the heap's, until trim() takes it.
        assertEquals(Page.OWNED, Page.state(page));
        emma.trim();
        assertEquals(Page.FREE, Page.state(page), "trim() gave the spare back to the pool");
        emma.free(blocks[PER_PAGE]);
        assertAllFreed();
    }

    /** Beyond the bound (four retained pages of 4 KiB blocks) the oldest full page is detached. */
    @Test
    void beyondTheBoundTheOldestFullPageIsDetached() {
        long[] blocks = allocate(6 * PER_PAGE + 1); // six full pages, the seventh current
        for (int p = 0; p < 6; p++) {
            int state = Page.state(pageOf(blocks[p * PER_PAGE]));
            assertEquals(p < 2 ? Page.DETACHED : Page.OWNED, state, "page " + p);
        }
        // Frees into the detached pages are remote ones (the protocol as before); they come back.
        for (long b : blocks) {
            emma.free(b);
        }
        emma.trim();
        for (int p = 0; p < 6; p++) {
            assertEquals(Page.FREE, Page.state(pageOf(blocks[p * PER_PAGE])), "page " + p);
        }
        assertEquals(Page.OWNED, Page.state(pageOf(blocks[6 * PER_PAGE])), "the current page stays");
        assertAllFreed();
    }

    /** A dead thread's retained pages and spares are detached with its current page. */
    @Test
    void aDeadHeapGivesBackItsRetainedPagesAndSpares() throws Throwable {
        long[] blocks = ForcedInterleaving.onThreadThatDies(() -> {
            long[] b = allocate(4 * PER_PAGE);
            for (int i = 0; i < PER_PAGE; i++) {
                emma.free(b[i]); // the first page: a spare
            }
            return b;
        });
        long spare = pageOf(blocks[0]);
        long retained = pageOf(blocks[PER_PAGE]);
        assertEquals(Page.OWNED, Page.state(spare));
        assertEquals(Page.OWNED, Page.state(retained));
        emma.trim(); // reclaims the dead heap
        assertEquals(Page.FREE, Page.state(spare));
        assertEquals(Page.DETACHED, Page.state(retained));
        for (int i = PER_PAGE; i < blocks.length; i++) {
            emma.free(blocks[i]);
        }
        assertEquals(Page.FREE, Page.state(retained), "its last free returned the detached page");
        emma.trim();
        assertEquals(0, emma.stats().segments(), Brief.of(emma.stats()));
        assertAllFreed();
    }

    private void batch(long[] blocks) {
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = emma.allocate(SIZE);
        }
        for (long b : blocks) {
            emma.free(b);
        }
    }

    private long[] allocate(int n) {
        long[] blocks = new long[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = emma.allocate(SIZE);
        }
        return blocks;
    }

    private static long pageOf(long block) {
        long base = Layout.segmentOf(block);
        return Layout.pageRecord(base, (int) ((block - base) >>> PageKind.SMALL.shift));
    }

    private void assertAllFreed() {
        EmmaStats stats = emma.stats();
        assertEquals(0, stats.liveBlocks(), Brief.of(stats));
        assertEquals(0, stats.invalidFrees(), Brief.of(stats));
    }
}
