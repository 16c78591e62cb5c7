package dev.emma.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.support.Brief;
import dev.emma.support.Patterns;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** 100 000 virtual threads allocate and free: it works, and heaps stay bounded by a constant. */
class VirtualThreadsTest {
    private static final int VIRTUAL_THREADS = 100_000;
    /** Allowance for platform threads (carriers, JUnit, the purge thread) above the shared heaps. */
    private static final int PLATFORM_HEAP_ALLOWANCE = 64;

    @Test
    void manyVirtualThreadsShareABoundedSetOfHeaps() throws Exception {
        EmmaConfig config = EmmaConfig.defaults();
        try (Emma emma = Emma.create(config)) {
            ConcurrentLinkedQueue<long[]> handOff = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger maxHeaps = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread monitor = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    maxHeaps.accumulateAndGet(emma.stats().heaps(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });

            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < VIRTUAL_THREADS; i++) {
                    long size = 16 + (i % 97) * 40;
                    executor.submit(() -> {
                        try {
                            work(emma, size, handOff);
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    });
                }
            }
            running.set(false);
            monitor.join();
            maxHeaps.accumulateAndGet(emma.stats().heaps(), Math::max);

            assertTrue(errors.isEmpty(), errors.size() + " virtual threads failed, first: " + errors.peek());
            long[] b;
            while ((b = handOff.poll()) != null) {
                assertEquals(-1, Patterns.firstMismatch(b[0], b[1], b[0]));
                emma.free(b[0]);
            }
            EmmaStats stats = emma.stats();
            assertEquals(0, stats.liveBlocks(), Brief.of(stats));
            assertEquals(3L * VIRTUAL_THREADS, stats.totalAllocations(), Brief.of(stats));
            assertEquals(0, stats.invalidFrees(), Brief.of(stats));
            int bound = config.sharedHeaps() + PLATFORM_HEAP_ALLOWANCE;
            assertTrue(maxHeaps.get() <= bound, "heaps peaked at " + maxHeaps.get() + " for " + VIRTUAL_THREADS
                    + " virtual threads; bound " + bound);
        }
    }

    /** Three blocks: two freed here (across a yield, maybe on another carrier), one handed to another virtual thread. */
    private static void work(Emma emma, long size, ConcurrentLinkedQueue<long[]> handOff) {
        long a = emma.allocate(size);
        long b = emma.allocateZeroed(size * 2);
        long c = emma.allocate(size + 8);
        Patterns.fill(a, size, a);
        assertEquals(-1, Patterns.firstNonZero(b, size * 2));
        Patterns.fill(c, size + 8, c);
        Thread.yield();
        assertEquals(-1, Patterns.firstMismatch(a, size, a));
        emma.free(a);
        emma.free(b);
        handOff.add(new long[] {c, size + 8});
        long[] other = handOff.poll();
        if (other != null) {
            assertEquals(-1, Patterns.firstMismatch(other[0], other[1], other[0]));
            emma.free(other[0]);
        }
    }
}
