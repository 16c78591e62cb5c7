package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.heap.HandOverHooks.Point;
import dev.emma.page.Page;
import dev.emma.segment.Layout;
import dev.emma.support.Brief;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each page hand-over raced by another thread at a forced point (see {@link ForcedInterleaving}):
 * deterministic on any number of cores. Blocks of 5 KiB are used where a batch of one remote free
 * makes the owner collect (64 KiB pages hold 12 of them).
 */
class HandOverRaceTest {
    private static final long SIZE = 5 * 1024;

    private static final int PER_PAGE = 12; // 5 KiB blocks in a 64 KiB page

    /** 64 B blocks: a page of them (about a thousand) has room only from a quarter of them freed. */
    private static final long TINY = 64;

    private final ForcedInterleaving hooks = new ForcedInterleaving();
    private final Allocator emma = new Allocator(EmmaConfig.defaults().withChecks(true).withBackgroundPurge(false), hooks);
    /** A thread that lives through a test: its heap owns pages. */
    private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> ownerThread = new Thread(r, "emma-owner"));
    private volatile Thread ownerThread;
    /** Blocks a test allocated on the way, freed at its end. */
    private final java.util.List<Long> rest = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        owner.shutdownNow();
        emma.close();
    }

    /**
     * Issue 9: a thread adopts the page a dead thread left (two blocks live, free list empty, room
     * to carve), and before it allocates from it another thread frees one of the dead thread's
     * blocks into it. The owner then saw "a remote batch is waiting" and the allocation failed with
     * "a refilled page has no free block".
     */
    @Test
    void remoteFreeIntoAnAdoptedPageBeforeItsFirstAllocation() throws Throwable {
        long registrar = call(() -> emma.allocate(TINY));
        long[] left = ForcedInterleaving.onThreadThatDies(() -> new long[] {emma.allocate(SIZE), emma.allocate(SIZE)});
        long block = ForcedInterleaving.onThreadThatDies(() -> {
            registerByAFree(registrar);
            hooks.arm(Point.ADOPTED, Thread.currentThread(), () -> emma.free(left[0]));
            return emma.allocate(SIZE);
        });
        hooks.rethrow();
        assertEquals(1, hooks.fired(), "the new thread adopted the dead thread's page");
        assertNotEquals(0, block);
        assertNotEquals(left[0], block);
        assertNotEquals(left[1], block);
        emma.free(block);
        emma.free(left[1]);
        assertAllFreed();
    }

    /**
     * The owner takes a block back between the two steps of its free (bit set, count not yet
     * added): the late count must neither make the owner collect twice nor, once the page is
     * DETACHED, make it look empty too early. The page goes back to the pool exactly when its last
     * block is freed.
     */
    @Test
    void aFreeCountedAfterItsBlockWasTakenBackSettlesThePageExactlyOnce() throws Throwable {
        long[] blocks = owner.submit(() -> allocate(PER_PAGE)).get();
        long page = pageOf(blocks[0]);
        onOtherThread(() -> emma.free(blocks[1]));                 // bit and count: a batch waits
        long[] taken = new long[2];
        Thread freer = Thread.ofPlatform().unstarted(() -> emma.free(blocks[0]));
        hooks.arm(Point.REMOTE_CLAIMED, freer, () -> call(() -> {
            // Paused between bit and count: the owner collects both bits (one count), reuses
            // both blocks, fills the page and lets go of it.
            taken[0] = emma.allocate(SIZE);
            taken[1] = emma.allocate(SIZE);
            rest.add(emma.allocate(SIZE)); // page full: retained, a fresh page attached
            return null;
        }));
        freer.start();
        freer.join();
        hooks.rethrow();
        assertEquals(1, hooks.fired());
        assertEquals(blocks[0], taken[0], "the lowest free block first");
        assertEquals(blocks[1], taken[1]);
        assertEquals(Page.OWNED, Page.state(page), "the full page is retained by its heap");
        assertEquals(1, Page.late(page), "one count was still owed when the page was retained");
        // The owner dies; trim() reclaims its heap, detaching the retained page with its late count.
        owner.shutdown();
        ownerThread.join();
        emma.trim();
        assertEquals(Page.DETACHED, Page.state(page));
        assertEquals(1, Page.late(page), "the late count went with the page");
        // Every block of the page is now freed by another thread; only the last free empties it.
        for (int i = 0; i < PER_PAGE; i++) {
            long b = blocks[i];
            onOtherThread(() -> emma.free(b));
            assertEquals(i < PER_PAGE - 1 ? Page.DETACHED : Page.FREE, Page.state(page), "after " + (i + 1) + " frees");
        }
        for (long b : rest) {
            onOtherThread(() -> emma.free(b));
        }
        assertAllFreed();
    }

    /**
     * The free of a DETACHED page's last block goes to take the class lock to return the page to
     * the pool, but another thread adopts the page first: the adopter gets the page's blocks, and
     * the late settle must leave the now OWNED page alone.
     */
    @Test
    void anAdoptionBetweenTheLastFreeAndItsSettle() throws Throwable {
        long[] blocks = ForcedInterleaving.onThreadThatDies(() -> allocate(2)); // a page with room, left by a dead thread
        long page = pageOf(blocks[0]);
        long[] adopted = new long[1];
        onOtherThread(() -> emma.free(blocks[0]));
        Thread freer = Thread.ofPlatform().unstarted(() -> emma.free(blocks[1]));
        hooks.arm(Point.SETTLING, freer, () -> adopted[0] = call(() -> emma.allocate(SIZE)));
        freer.start();
        freer.join();
        hooks.rethrow();
        assertEquals(1, hooks.fired(), "the last free went to settle the page");
        assertEquals(page, pageOf(adopted[0]), "the owner adopted the emptied page");
        assertEquals(Page.OWNED, Page.state(page), "the late settle left the adopted page alone");
        owner.submit(() -> emma.free(adopted[0])).get();
        assertAllFreed();
    }

    /**
     * trim() racing the settle of a DETACHED page (the jcstress tests in core-stress's
     * {@code bugs} package crashed the JVM this way): a free gives the page its first room and goes
     * to settle it; before it takes the class lock another thread frees the page's last block and
     * calls trim(). Before the fix that free returned the page to the pool and trim() unmapped the
     * wholly free segment, and the first free's settle read the unmapped page record (SIGSEGV). Now
     * the first free holds a pin from its count on: the page goes back to the pool only at its
     * settle, and the segment is given back to the OS by the next trim().
     */
    @Test
    void trimBetweenAFreeAndItsSettleWaitsForTheSettle() throws Throwable {
        long[] blocks = ForcedInterleaving.onThreadThatDies(() -> allocate(2)); // its segment's only page in use
        long page = pageOf(blocks[0]);
        // A new thread: its registration detaches the dead heap's page, its free gives the page its first room.
        Thread freer = Thread.ofPlatform().unstarted(() -> emma.free(blocks[0]));
        long[] segmentsAfterTrim = new long[1];
        hooks.arm(Point.SETTLING, freer, () -> {
            joined(() -> emma.free(blocks[1]));   // the last block: the page is empty
            joined(emma::trim);
            segmentsAfterTrim[0] = emma.stats().segments();
        });
        freer.start();
        freer.join();
        hooks.rethrow();
        assertEquals(1, hooks.fired(), "the first free went to settle the page");
        assertEquals(1, segmentsAfterTrim[0], "trim kept the segment while a settle was pending");
        assertEquals(Page.FREE, Page.state(page), "the pending settle returned the emptied page");
        emma.trim();
        assertEquals(0, emma.stats().segments(), "the next trim gave the segment back");
        assertAllFreed();
    }

    /**
     * A thread dies while another thread frees one of its blocks; a new thread's registration
     * reclaims the dead heap (detaching its page) between that free's two steps. The count lands
     * on the DETACHED page and queues it, and the next allocation of that size gets the block back.
     */
    @Test
    void aDeadHeapReclaimedBetweenTheTwoStepsOfAFree() throws Throwable {
        long[] blocks = ForcedInterleaving.onThreadThatDies(() -> allocate(PER_PAGE));
        long page = pageOf(blocks[0]);
        Thread freer = Thread.ofPlatform().unstarted(() -> emma.free(blocks[5]));
        long[] newcomer = new long[1];
        // A new thread's first allocation reclaims the dead heap; the block goes back at the end.
        hooks.arm(Point.REMOTE_CLAIMED, freer, () -> newcomer[0] = emma.allocate(64));
        freer.start();
        afterTheDeadHeapsPageWasReclaimed(freer, page, blocks, newcomer);
    }

    /**
     * A remote free into the owner's retained (full, non-current) page, paused between its bit and
     * its count, while the owner's refill retakes that page (another free's count gave it room),
     * takes both bits back and fills it again: the page is retained once more with one count owed
     * in its record. When the owner's own frees empty it, it is a spare whose owed count has landed,
     * and trim() returns it to the pool (an unrecorded late count would leave it DETACHED, queued).
     */
    @Test
    void aRetainedPageRetakenBetweenTheTwoStepsOfARemoteFree() throws Throwable {
        long[] blocks = owner.submit(() -> allocate(2 * PER_PAGE)).get(); // page A retained, page B current, both full
        long a = pageOf(blocks[0]);
        onOtherThread(() -> emma.free(blocks[1]));                 // counted: A has room
        long[] taken = new long[3];
        Thread freer = Thread.ofPlatform().unstarted(() -> emma.free(blocks[0]));
        hooks.arm(Point.REMOTE_CLAIMED, freer, () -> call(() -> {
            taken[0] = emma.allocate(SIZE); // B full: the refill retakes A and takes both bits back
            taken[1] = emma.allocate(SIZE);
            taken[2] = emma.allocate(SIZE); // A full again: retained, with one count owed; a fresh page
            return null;
        }));
        freer.start();
        freer.join();
        hooks.rethrow();
        assertEquals(1, hooks.fired());
        assertEquals(blocks[0], taken[0], "the lowest free block first");
        assertEquals(blocks[1], taken[1]);
        assertEquals(Page.OWNED, Page.state(a), "retained again");
        assertEquals(1, Page.late(a), "one count was owed when the page was retained again");
        assertEquals(1, Page.remoteCount(dev.emma.memory.Memory.getLong(a + Page.REMOTE)), "and it has landed");
        call(() -> {
            for (int i = 0; i < PER_PAGE; i++) {
                emma.free(blocks[i]);     // owner frees: A becomes a spare
            }
            return null;
        });
        assertEquals(Page.OWNED, Page.state(a), "a spare");
        call(() -> {
            emma.trim();
            return null;
        });
        assertEquals(Page.FREE, Page.state(a), "trim() returned the spare: nothing was owed any more");
        for (int i = PER_PAGE; i < 2 * PER_PAGE; i++) {
            rest.add(blocks[i]);
        }
        rest.add(taken[2]);
        freeRestOnOwner();
        assertAllFreed();
    }

    /**
     * {@link #aDeadHeapReclaimedBetweenTheTwoStepsOfAFree} on a retained page: the dead thread had
     * filled one page and started the next; the reclamation detaches the retained page too, and the
     * paused free's count then queues it.
     */
    @Test
    void aDeadHeapReclaimedBetweenTheTwoStepsOfAFreeIntoItsRetainedPage() throws Throwable {
        long[] blocks = ForcedInterleaving.onThreadThatDies(() -> allocate(PER_PAGE + 1));
        long page = pageOf(blocks[0]);
        assertEquals(Page.OWNED, Page.state(page), "retained by the dead thread's heap");
        Thread freer = Thread.ofPlatform().unstarted(() -> emma.free(blocks[5]));
        long[] newcomer = new long[1];
        hooks.arm(Point.REMOTE_CLAIMED, freer, () -> newcomer[0] = emma.allocate(64));
        freer.start();
        afterTheDeadHeapsPageWasReclaimed(freer, page, blocks, newcomer);
    }

    /**
     * Pages of many small blocks have room only from a quarter of their used blocks freed
     * (Pages.roomThreshold): the owner's refill does not retake its full retained page one free
     * short of that, and once it detached the page, the free that reaches the threshold queues it.
     */
    @Test
    void aRetainedPageHasRoomOnlyAtItsThreshold() throws Throwable {
        long[] first = call(() -> fillPage(TINY));   // page A full, retained; one block of page B
        long a = pageOf(first[0]);
        int threshold = Page.capacity(a) / 4;
        onOtherThread(() -> {
            for (int i = 0; i < threshold - 1; i++) {
                emma.free(first[i]);
            }
        });
        // B fills up; its refill finds no room in A: it retains B, detaches A (beyond the bound of
        // one retained page of this class) and takes a fresh page.
        long[] second = call(() -> fillPage(TINY));
        long next = second[second.length - 1];
        assertNotEquals(a, pageOf(next), "one free short of the threshold, A has no room");
        assertEquals(Page.DETACHED, Page.state(a));
        assertEquals(false, queued(a), "a DETACHED page below its threshold waits outside the queue");
        onOtherThread(() -> emma.free(first[threshold - 1]));
        assertEquals(true, queued(a), "the free that reached the threshold queued the page");
        for (int i = threshold; i < first.length; i++) {
            rest.add(first[i]);
        }
        for (long b : second) {
            rest.add(b);
        }
        freeRestOnOwner();
        assertAllFreed();
        assertEquals(Page.FREE, Page.state(a), "the last free returned the page");
    }

    /**
     * The free that reaches a page's room threshold, paused between its bit and its count while a
     * new thread reclaims the dead owner's heap: the detach finds the page one free short of its
     * threshold and leaves it out of the queue, so that count must settle it (a settle at any
     * other count would leave it stranded, room and all, outside the queue).
     */
    @Test
    void aDeadHeapReclaimedBetweenTheTwoStepsOfTheFreeThatReachesTheThreshold() throws Throwable {
        rest.add(call(() -> emma.allocate(SIZE)));       // the owner's heap is registered before the other dies
        long[] blocks = ForcedInterleaving.onThreadThatDies(() -> fillPage(TINY)); // page A full, retained
        long page = pageOf(blocks[0]);
        int threshold = Page.capacity(page) / 4;
        call(() -> {
            for (int i = 1; i < threshold; i++) {
                emma.free(blocks[i]);     // counted into the dead heap's retained page
            }
            return null;
        });
        long[] newcomer = new long[1];
        boolean[] queuedAtReclaim = new boolean[1];
        int[] stateAtReclaim = new int[1];
        long registrar = call(() -> emma.allocate(SIZE));
        hooks.arm(Point.REMOTE_CLAIMED, ownerThread, () -> {
            registerByAFree(registrar); // a new thread: its registration reclaims the dead heap
            newcomer[0] = emma.allocate(SIZE);
            stateAtReclaim[0] = Page.state(page);
            queuedAtReclaim[0] = queued(page);
        });
        call(() -> {
            emma.free(blocks[0]);
            return null;
        });
        hooks.rethrow();
        assertEquals(1, hooks.fired());
        assertEquals(Page.DETACHED, stateAtReclaim[0], "the reclamation detached the page");
        assertEquals(false, queuedAtReclaim[0], "one free short of its threshold: not queued");
        assertEquals(Page.DETACHED, Page.state(page));
        assertEquals(true, queued(page), "the paused free's count reached the threshold and queued the page");
        long again = call(() -> emma.allocate(TINY));
        assertEquals(blocks[0], again, "the queued page gave its lowest freed block to the next allocation");
        rest.add(again);
        for (int i = threshold; i < blocks.length; i++) {
            rest.add(blocks[i]);
        }
        rest.add(newcomer[0]);
        freeRestOnOwner();
        assertAllFreed();
    }

    /** Allocates blocks of {@code size} until one lands on another page: a full page's blocks, then that one. */
    private long[] fillPage(long size) {
        java.util.List<Long> blocks = new java.util.ArrayList<>();
        long first = emma.allocate(size);
        blocks.add(first);
        while (true) {
            long b = emma.allocate(size);
            blocks.add(b);
            if (pageOf(b) != pageOf(first)) {
                return blocks.stream().mapToLong(Long::longValue).toArray();
            }
        }
    }

    private static boolean queued(long page) {
        return (dev.emma.memory.Memory.getInt(page + Page.FLAGS) & Page.QUEUED) != 0;
    }

    private long[] allocate(int n) {
        long[] blocks = new long[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = emma.allocate(SIZE);
        }
        return blocks;
    }

    /**
     * Registers the calling new thread's heap by freeing {@code block} (one of the owner's, in
     * another page than the test's): the registration detaches the dead threads' heaps. A thread
     * registered by an allocation would inherit a dead heap instead ({@link Heaps#forThread}).
     */
    private void registerByAFree(long block) {
        emma.free(block);
    }

    /** Runs {@code body} on the owner thread and waits for it. */
    private <T> T call(java.util.concurrent.Callable<T> body) {
        try {
            return owner.submit(body).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void onOtherThread(Runnable body) throws InterruptedException {
        Thread t = Thread.ofPlatform().start(body);
        t.join();
    }

    /** {@link #onOtherThread} for a hook's action, which may not throw. */
    private static void joined(Runnable body) {
        try {
            onOtherThread(body);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The page record of the page holding {@code block}. */
    private static long pageOf(long block) {
        long base = Layout.segmentOf(block);
        return Layout.pageRecord(base, (int) ((block - base) >>> dev.emma.page.PageKind.SMALL.shift));
    }

    /** Frees what the owner still holds (tests add to {@link #rest}). */
    /**
     * The end of both dead-heap tests: once the paused free of {@code blocks[5]} went on, the
     * reclaimed page is DETACHED and queued, gives that block to the next allocation, and every
     * block is freed exactly once.
     */
    private void afterTheDeadHeapsPageWasReclaimed(Thread freer, long page, long[] blocks, long[] newcomer) throws Throwable {
        freer.join();
        hooks.rethrow();
        assertEquals(1, hooks.fired());
        assertEquals(Page.DETACHED, Page.state(page));
        long again = call(() -> emma.allocate(SIZE));
        assertEquals(blocks[5], again, "the queued page gave its freed block to the next allocation");
        rest.add(newcomer[0]); // set by the hook, read after the freer joined
        owner.submit(() -> {
            emma.free(again);
            for (long b : blocks) {
                if (b != blocks[5]) {
                    emma.free(b);
                }
            }
        }).get();
        freeRestOnOwner();
        assertAllFreed();
    }

    private void freeRestOnOwner() throws Exception {
        owner.submit(() -> rest.forEach(emma::free)).get();
    }

    private void assertAllFreed() {
        EmmaStats stats = emma.stats();
        assertEquals(0, stats.liveBlocks(), Brief.of(stats));
        assertEquals(0, stats.invalidFrees(), Brief.of(stats));
    }
}
