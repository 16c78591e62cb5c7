package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.heap.HandOverHooks.Point;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.segment.Layout;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A platform thread allocates its medium blocks (9-64 KiB) from its own heap, with no lock, and
 * frees them as their page's owner: no remote free, and the block is the next one handed out.
 * Another thread's free of such a block is a remote free. A free that empties the thread's current
 * medium page parks the page as a spare, so that an idle live thread does not keep it.
 */
class MediumOwnerFreeTest {
    private static final long SIZE = 32 * 1024;

    private final CountingHooks recorder = new CountingHooks();
    private final Allocator emma = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), recorder);

    @AfterEach
    void close() {
        emma.close();
    }

    private static long pageOf(long address) {
        long base = Layout.segmentOf(address);
        return Layout.pageRecord(base, (int) ((address - base) >>> PageKind.MEDIUM.shift));
    }

    @Test
    void aThreadsFreeOfItsOwnMediumBlockIsAnOwnerFree() {
        long a = emma.allocate(SIZE);
        long b = emma.allocate(SIZE);
        // Heap ids: the shared heaps' first (1..sharedHeaps), then the thread heaps'.
        assertTrue(Page.owner(pageOf(a)) > emma.config().sharedHeaps(), "the page is a thread heap's, not a shared heap's");
        recorder.watched = Thread.currentThread();
        recorder.reset();
        emma.free(a);
        assertEquals(0, recorder.count(Point.REMOTE_FREE_CHECKED), "no remote free");
        assertEquals(a, emma.allocate(SIZE), "the freed block is the next one handed out, with no take-back");
        assertEquals(0, recorder.count(Point.COLLECTED));
        assertEquals(0, recorder.count(Point.CLASS_LOCK), "no lock of any kind");
        emma.free(b);
        emma.free(a);
        assertEquals(0, recorder.count(Point.REMOTE_FREE_CHECKED));
        assertEquals(0, emma.stats().liveBlocks());
    }

    @Test
    void anotherThreadsFreeOfItIsRemote() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            long a = emma.allocate(SIZE);
            other.submit(() -> emma.allocate(16)).get(); // the other thread gets a heap of its own
            recorder.reset();
            other.submit(() -> emma.free(a)).get();
            assertEquals(1, recorder.count(Point.REMOTE_FREE_CHECKED), "a remote free");
            assertEquals(1, emma.stats().totalFrees());
        } finally {
            other.shutdown();
        }
    }

    /** The pair pattern: the emptied page is parked, and the next allocation retakes it with no lock. */
    @Test
    void anEmptiedPageIsParkedAndRetakenByItsOwner() {
        long a = emma.allocate(SIZE);
        long page = pageOf(a);
        recorder.watched = Thread.currentThread();
        recorder.reset();
        emma.free(a);
        assertEquals(Page.OWNED, Page.state(page), "parked, still the heap's");
        assertEquals(a, emma.allocate(SIZE), "retaken: its free block is handed out again");
        assertEquals(1, recorder.count(Point.RETAKEN));
        assertEquals(0, recorder.count(Point.CLASS_LOCK), "no lock");
        emma.free(a);
    }

    /** The same in checks mode, where parking and retaking check the page's invariant (PageChecks). */
    @Test
    void parkingAndRetakingKeepThePageInvariantInChecksMode() {
        Allocator checked = new Allocator(EmmaConfig.defaults().withChecks(true).withBackgroundPurge(false));
        try {
            long a = checked.allocate(SIZE);
            long b = checked.allocate(SIZE);
            long page = pageOf(a);
            checked.free(b);
            checked.free(a); // the last block: parked
            assertEquals(Page.OWNED, Page.state(page));
            assertEquals(a, checked.allocate(SIZE), "retaken");
            checked.free(a);
            checked.trim();
            assertEquals(Page.FREE, Page.state(page), "trim() took the parked page");
            assertEquals(0, checked.stats().invalidFrees());
        } finally {
            checked.close();
        }
    }

    /**
     * A live thread that emptied its medium page and went idle does not keep it: trim() (and the
     * purger, once the heap stayed idle for a tick) takes the parked page back to the pool. Before
     * pages were parked, each medium class a live thread had used kept its 256 KiB page, and the
     * segment it sat in, for as long as the thread lived.
     */
    @Test
    void anIdleLiveThreadsEmptiedPageGoesBackToThePool() throws Exception {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        try {
            long a = owner.submit(() -> emma.allocate(SIZE)).get();
            long page = pageOf(a);
            owner.submit(() -> emma.free(a)).get(); // the owner stays alive, and idle
            assertEquals(Page.OWNED, Page.state(page));
            assertNotEquals(0, emma.stats().mappedBytes());
            emma.trim(); // another thread's trim()
            assertEquals(Page.FREE, Page.state(page), "the parked page went back to the pool");
            assertEquals(0, emma.stats().mappedBytes(), "and its segment was given back");
            long b = owner.submit(() -> emma.allocate(SIZE)).get(); // the owner goes on with a new page
            owner.submit(() -> emma.free(b)).get();
            assertEquals(0, emma.stats().liveBlocks());
        } finally {
            owner.shutdown();
        }
    }
}
