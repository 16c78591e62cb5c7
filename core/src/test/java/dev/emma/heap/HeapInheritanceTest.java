package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.heap.HandOverHooks.Point;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.segment.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A thread whose first call is an allocation inherits the heap of a thread that died (its pages,
 * free lists, holes and all), as a C allocator's arena passes to the next thread; no page changes
 * hands. A thread whose first call is a free inherits nothing (it would hold the pages while it
 * only frees): its registration detaches the dead heap's pages, as before.
 */
class HeapInheritanceTest {
    private static final long SIZE = 4096;

    private final CountingHooks recorder = new CountingHooks();
    private final Allocator emma = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), recorder);

    @AfterEach
    void close() {
        emma.close();
    }

    private static long pageOf(long address) {
        long base = Layout.segmentOf(address);
        return Layout.pageRecord(base, (int) ((address - base) >>> PageKind.SMALL.shift));
    }

    @Test
    void aThreadThatStartsByAllocatingInheritsADeadThreadsHeap() throws Throwable {
        long[] dead = ForcedInterleaving.onThreadThatDies(() -> {
            long kept = emma.allocate(SIZE);
            long freed = emma.allocate(SIZE);
            emma.free(freed);
            return new long[] {kept, freed};
        });
        long page = pageOf(dead[0]);
        int deadHeap = Page.owner(page);
        long segments = emma.stats().segments();

        long[] heir = ForcedInterleaving.onThreadThatDies(() -> {
            recorder.watched = Thread.currentThread();
            long block = emma.allocate(SIZE);
            return new long[] {block, recorder.count(Point.ADOPTED)};
        });

        assertEquals(dead[1], heir[0], "the dead thread's freed block, from its free list, is the next one handed out");
        assertEquals(deadHeap, Page.owner(page), "the page stayed with the heap, which the new thread now owns");
        assertEquals(Page.OWNED, Page.state(page), "never detached");
        assertEquals(0, heir[1], "no page adopted from a reuse queue");
        assertEquals(segments, emma.stats().segments());
        emma.free(dead[0]);
        emma.free(heir[0]);
        emma.trim();
        assertEquals(0, emma.stats().liveBlocks());
    }

    @Test
    void theHeirInheritsOneDeadHeapTheOthersAreDetachedAndTheCountsStayWhole() throws Throwable {
        // A and B live at the same time (else B would inherit A's heap), then both die.
        java.util.concurrent.CountDownLatch bothAllocated = new java.util.concurrent.CountDownLatch(2);
        long[] ab = new long[2];
        Thread[] threads = new Thread[2];
        for (int i = 0; i < 2; i++) {
            int index = i;
            threads[i] = Thread.ofPlatform().start(() -> {
                ab[index] = emma.allocate(SIZE);
                bothAllocated.countDown();
                awaitQuietly(bothAllocated);
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        long a = ab[0];
        long b = ab[1];
        int heapA = Page.owner(pageOf(a));
        int heapB = Page.owner(pageOf(b));
        assertNotEquals(heapA, heapB);
        long allocations = emma.stats().totalAllocations();

        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Long> c = new java.util.concurrent.CompletableFuture<>();
        Thread heirC = Thread.ofPlatform().start(() -> { // stays alive: its heap is not dead again
            c.complete(emma.allocate(SIZE));
            awaitQuietly(done);
        });
        int first = Page.owner(pageOf(c.get()));
        assertTrue(first == heapA || first == heapB, "a dead heap goes to the first heir");
        long other = first == heapA ? b : a;
        int otherHeap = first == heapA ? heapB : heapA;
        assertEquals(Page.DETACHED, Page.state(pageOf(other)), "the other dead heap was detached");
        long d = ForcedInterleaving.onThreadThatDies(() -> emma.allocate(SIZE));
        assertNotEquals(otherHeap, Page.owner(pageOf(d)), "no dead heap left: the next thread gets a new heap");
        assertNotEquals(first, Page.owner(pageOf(d)));

        assertEquals(allocations + 2, emma.stats().totalAllocations(), "an inherited heap's counters are counted once");
        done.countDown();
        heirC.join();
        for (long x : new long[] {a, b, c.get(), d}) {
            emma.free(x);
        }
        emma.trim();
        assertEquals(0, emma.stats().liveBlocks());
        assertEquals(emma.stats().totalAllocations(), emma.stats().totalFrees());
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void inheritanceInChecksMode() throws Throwable {
        Allocator checked = new Allocator(EmmaConfig.defaults().withChecks(true).withBackgroundPurge(false));
        try {
            long[] dead = ForcedInterleaving.onThreadThatDies(() -> {
                long kept = checked.allocate(SIZE);
                long freed = checked.allocate(SIZE);
                checked.free(freed);
                return new long[] {kept, freed};
            });
            long heir = ForcedInterleaving.onThreadThatDies(() -> {
                long block = checked.allocate(SIZE); // checks mode verifies the page's record against the heap
                checked.free(dead[0]);                // an owner free now: the heir owns the page
                return block;
            });
            assertEquals(dead[1], heir);
            checked.free(heir);
            checked.trim();
            assertEquals(0, checked.stats().liveBlocks());
            assertEquals(0, checked.stats().invalidFrees());
        } finally {
            checked.close();
        }
    }

    @Test
    void aThreadThatStartsByFreeingInheritsNothing() throws Throwable {
        long block = ForcedInterleaving.onThreadThatDies(() -> emma.allocate(SIZE));
        long page = pageOf(block);

        ForcedInterleaving.onThreadThatDies(() -> {
            emma.free(block); // registers this thread: the dead heap is detached, then this free empties its page
            emma.flushFrees(); // (gathered frees are handed over in batches)
            return null;
        });

        assertEquals(Page.FREE, Page.state(page), "the dead heap's page went back to the pool");
        assertEquals(0, emma.stats().liveBlocks());
    }
}
