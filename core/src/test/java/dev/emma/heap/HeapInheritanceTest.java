package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
