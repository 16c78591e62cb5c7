package dev.emma.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.emma.Emma;
import dev.emma.EmmaStats;
import dev.emma.support.Brief;
import dev.emma.support.LiveRanges;
import dev.emma.support.Patterns;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two threads free the same blocks at the same time (the owner and a remote thread, or two remote
 * threads): each block is freed once, the other free is counted as invalid, and the heap is never
 * corrupted, i.e. no block is handed out twice afterwards.
 */
class ConcurrentDoubleFreeTest {
    private static final int BLOCKS = 20_000;
    private static final int ROUNDS = 5;

    @Test
    void ownerAndRemoteThreadRacingToFreeTheSameBlocks() throws Exception {
        race(true, 64, BLOCKS);
    }

    @Test
    void twoRemoteThreadsRacingToFreeTheSameBlocks() throws Exception {
        race(false, 64, BLOCKS);
    }

    @Test
    void twoThreadsRacingToFreeTheSameMediumAndHugeBlocks() throws Exception {
        race(false, 20_000, 2_000);
        race(false, 3 * 1024 * 1024, 128);
    }

    private static void race(boolean ownerTakesPart, long size, int count) throws Exception {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        ExecutorService others = Executors.newFixedThreadPool(2);
        try (Emma emma = Emma.create()) {
            for (int round = 0; round < ROUNDS; round++) {
                long[] blocks = owner.submit(() -> allocate(emma, size, count)).get();
                EmmaStats before = emma.stats();
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?> first = (ownerTakesPart ? owner : others).submit(() -> freeAll(emma, blocks, start));
                Future<?> second = others.submit(() -> freeAll(emma, blocks, start));
                first.get();
                second.get();

                EmmaStats stats = emma.stats();
                String what = size + " B, round " + round + ": " + Brief.of(stats);
                assertEquals(0, stats.liveBlocks(), what);
                assertEquals(count, stats.totalFrees() - before.totalFrees(), "each block freed exactly once, " + what);
                assertEquals(count, stats.invalidFrees() - before.invalidFrees(), "each second free counted, " + what);

                // The heap is intact: twice as many new blocks, none handed out twice.
                long[] again = owner.submit(() -> allocate(emma, size, 2 * count)).get();
                LiveRanges ranges = new LiveRanges();
                for (long p : again) {
                    assertNull(ranges.add(p, emma.usableSize(p)), what);
                    Patterns.fill(p, 64, p);
                }
                for (long p : again) {
                    assertEquals(-1, Patterns.firstMismatch(p, 64, p), what);
                }
                owner.submit(() -> {
                    for (long p : again) {
                        emma.free(p);
                    }
                }).get();
                assertEquals(0, emma.stats().liveBlocks(), what);
            }
        } finally {
            owner.shutdownNow();
            others.shutdownNow();
        }
    }

    private static long[] allocate(Emma emma, long size, int count) {
        long[] blocks = new long[count];
        for (int i = 0; i < count; i++) {
            blocks[i] = emma.allocate(size);
        }
        return blocks;
    }

    private static Void freeAll(Emma emma, long[] blocks, CyclicBarrier start) throws Exception {
        start.await();
        for (long b : blocks) {
            emma.free(b);
        }
        return null;
    }
}
