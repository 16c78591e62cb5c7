package dev.emma.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * In the default mode a thread's frees of blocks in pages it does not own are gathered per size
 * class and handed over in batches (dev.emma.heap.FreeBatch). What that must keep: a second free of
 * a gathered block is seen at the call; a bad free found only at the hand-over is counted as
 * invalid, not as a free; a dead thread's batches are handed over when its heap is reclaimed, so
 * the pages they held go back.
 */
class GatheredFreesTest {
    private static final long SIZE = 64;

    private static EmmaConfig config() {
        return EmmaConfig.defaults().withBackgroundPurge(false);
    }

    @Test
    void aSecondFreeOfAGatheredBlockIsSeenAtTheCall() throws Exception {
        try (Emma emma = Emma.create(config())) {
            long[] blocks = onNewThread(() -> allocate(emma, 8));
            EmmaStats before = emma.stats();
            emma.free(blocks[3]); // gathered: the block's page is the dead thread's
            emma.free(blocks[3]);
            EmmaStats after = emma.stats();
            assertEquals(1, after.invalidFrees() - before.invalidFrees(), "counted at the second call");
            assertEquals(1, after.totalFrees() - before.totalFrees());
            emma.flushFrees();
            assertEquals(1, emma.stats().invalidFrees() - before.invalidFrees(), "and not counted again at the hand-over");
            assertEquals(1, emma.stats().totalFrees() - before.totalFrees());
        }
    }

    @Test
    void aBadFreeFoundAtTheHandOverIsCountedAsInvalidNotAsAFree() throws Exception {
        ExecutorService a = Executors.newSingleThreadExecutor();
        ExecutorService b = Executors.newSingleThreadExecutor();
        try (Emma emma = Emma.create(config())) {
            long[] blocks = onNewThread(() -> allocate(emma, 8));
            EmmaStats before = emma.stats();
            // Both gather the same live block (neither has handed it over), then both hand over.
            a.submit(() -> emma.free(blocks[5])).get();
            b.submit(() -> emma.free(blocks[5])).get();
            a.submit(emma::flushFrees).get();
            b.submit(emma::flushFrees).get();
            EmmaStats after = emma.stats();
            assertEquals(1, after.totalFrees() - before.totalFrees(), "one free: " + after);
            assertEquals(1, after.invalidFrees() - before.invalidFrees(), "one invalid: " + after);
            assertEquals(before.liveBlocks() - 1, after.liveBlocks(), after.toString());
            // The heap is intact: the block comes back exactly once.
            long[] again = allocate(emma, 16);
            int seen = 0;
            for (long p : again) {
                seen += p == blocks[5] ? 1 : 0;
            }
            assertTrue(seen <= 1, "handed out twice");
        } finally {
            a.shutdown();
            b.shutdown();
        }
    }

    @Test
    void aDeadThreadsBatchesAreHandedOverWhenItsHeapIsReclaimed() throws Exception {
        try (Emma emma = Emma.create(config())) {
            long[] blocks = onNewThread(() -> allocate(emma, 8));
            emma.trim(); // the dead owner's heap is reclaimed: its page is DETACHED, with 8 live blocks
            assertEquals(1, emma.stats().segments());
            Thread freer = new Thread(() -> {
                for (long p : blocks) {
                    emma.free(p); // gathered, and never handed over by this thread
                }
            });
            freer.start();
            freer.join();
            emma.trim();
            assertEquals(0, emma.stats().segments(), "the freer's batch emptied the page: " + emma.stats());
        }
    }

    @Test
    void aLiveThreadsBatchHoldsItsPageUntilItHandsItOver() throws Exception {
        ExecutorService freer = Executors.newSingleThreadExecutor();
        try (Emma emma = Emma.create(config())) {
            long[] blocks = onNewThread(() -> allocate(emma, 8));
            emma.trim();
            freer.submit(() -> {
                for (long p : blocks) {
                    emma.free(p);
                }
            }).get();
            emma.trim(); // another thread's trim cannot take a live thread's batch
            assertEquals(1, emma.stats().segments(), "the page still holds the gathered blocks");
            freer.submit(emma::flushFrees).get();
            emma.trim();
            assertEquals(0, emma.stats().segments(), emma.stats().toString());
        } finally {
            freer.shutdown();
        }
    }

    private static long[] allocate(Emma emma, int n) {
        long[] blocks = new long[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = emma.allocate(SIZE);
        }
        return blocks;
    }

    /** Runs {@code body} on a new thread that is dead when this returns. */
    private static <T> T onNewThread(Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(body.call());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }
}
