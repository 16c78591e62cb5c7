package dev.emma.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.InvalidFreeException;
import dev.emma.support.Brief;
import dev.emma.support.LiveRanges;
import dev.emma.support.Patterns;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Two threads free the same blocks (the owner and a remote thread, or two remote threads): each
 * block is freed once, the other free is counted as invalid, and the heap is never corrupted,
 * i.e. no block is handed out twice afterwards. Two remote frees of one block may race (both CAS
 * the remote bit: one wins); so may the owner's and a remote one in checks mode, where the owner's
 * free claims its block through the same bit. In the default mode the owner frees with plain
 * stores, so both frees of one block at the same moment are the undetectable kind
 * (docs/architecture.md, "Unsized free"); there the owner's frees and the other thread's double
 * frees of the same blocks are ordered, in both orders.
 */
class ConcurrentDoubleFreeTest {
    private static final int BLOCKS = 20_000;
    private static final int ROUNDS = 5;

    @Test
    void ownerFreesThenARemoteThreadFreesTheSameBlocksAgain() throws Exception {
        race(Order.OWNER_FIRST, 64, BLOCKS);
    }

    @Test
    void remoteThreadFreesThenTheOwnerFreesTheSameBlocksAgain() throws Exception {
        race(Order.REMOTE_FIRST, 64, BLOCKS);
    }

    /**
     * The owner and another thread free the same blocks of the owner's current page in lock step
     * (both spin until the other reached block i, then free it), so the two frees of each block
     * start within a cache-line transfer of each other. Checks mode, where the owner's free claims
     * its block (docs/architecture.md, "Unsized free"): exactly one free of each block succeeds.
     * On the core before the claim (the owner's free took no atomic, as in the default mode) both
     * frees of some blocks succeeded and the page held them twice.
     */
    @Test
    void ownerAndRemoteThreadRacingToFreeTheSameBlocks() throws Exception {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Emma emma = Emma.create(EmmaConfig.defaults().withChecks(true))) {
            for (int round = 0; round < LOCKSTEP_ROUNDS; round++) {
                long[] blocks = owner.submit(() -> allocate(emma, 64, LOCKSTEP_BLOCKS)).get();
                EmmaStats before = emma.stats();
                LockStep step = new LockStep();
                Future<Integer> lostByOwner = owner.submit(() -> freeInStep(emma, blocks, step, 0));
                Future<Integer> lostByOther = other.submit(() -> freeInStep(emma, blocks, step, 1));
                int lost = lostByOwner.get() + lostByOther.get();
                EmmaStats stats = emma.stats();
                String what = "round " + round + ": " + Brief.of(stats);
                assertEquals(0, stats.liveBlocks(), what);
                assertEquals(LOCKSTEP_BLOCKS, stats.totalFrees() - before.totalFrees(), "each block freed exactly once, " + what);
                assertEquals(LOCKSTEP_BLOCKS, lost, "each second free reported, " + what);
            }
            long[] again = owner.submit(() -> allocate(emma, 64, 2 * LOCKSTEP_BLOCKS)).get();
            LiveRanges ranges = new LiveRanges();
            for (long p : again) {
                assertNull(ranges.add(p, emma.usableSize(p)), "a block handed out twice");
            }
            owner.submit(() -> {
                for (long p : again) {
                    emma.free(p);
                }
            }).get();
            assertEquals(0, emma.stats().liveBlocks());
        } finally {
            owner.shutdownNow();
            other.shutdownNow();
        }
    }

    /** Blocks per round: within one 64 KiB page of 64 B blocks, so that the owner's frees are owner frees. */
    private static final int LOCKSTEP_BLOCKS = 1000;
    private static final int LOCKSTEP_ROUNDS = 100;

    /** Two threads' positions, a cache line apart; each waits for the other to reach a block. */
    private static final class LockStep {
        private final AtomicIntegerArray at = new AtomicIntegerArray(32);

        LockStep() {
            at.set(0, -1);
            at.set(16, -1);
        }

        void arrive(int side, int i) {
            at.set(side * 16, i);
            for (int spins = 1; at.get((1 - side) * 16) < i; spins++) {
                if (spins % 1024 == 0) {
                    Thread.yield(); // the other thread is not running (2 cores, other work)
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** Frees every block in step with the other side; returns how many frees were reported as double frees. */
    private static int freeInStep(Emma emma, long[] blocks, LockStep step, int side) {
        int lost = 0;
        for (int i = 0; i < blocks.length; i++) {
            step.arrive(side, i);
            try {
                emma.free(blocks[i]);
            } catch (InvalidFreeException e) {
                lost++;
            }
        }
        return lost;
    }

    @Test
    void twoRemoteThreadsRacingToFreeTheSameBlocks() throws Exception {
        race(Order.TWO_REMOTES_RACE, 64, BLOCKS);
    }

    @Test
    void twoThreadsRacingToFreeTheSameMediumAndHugeBlocks() throws Exception {
        race(Order.TWO_REMOTES_RACE, 20_000, 2_000);
        race(Order.TWO_REMOTES_RACE, 3 * 1024 * 1024, 128);
    }

    private enum Order { OWNER_FIRST, REMOTE_FIRST, TWO_REMOTES_RACE }

    private static void race(Order order, long size, int count) throws Exception {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        ExecutorService others = Executors.newFixedThreadPool(2);
        try (Emma emma = Emma.create()) {
            for (int round = 0; round < ROUNDS; round++) {
                long[] blocks = owner.submit(() -> allocate(emma, size, count)).get();
                EmmaStats before = emma.stats();
                if (order == Order.OWNER_FIRST || order == Order.REMOTE_FIRST) {
                    ExecutorService firstFreer = order == Order.OWNER_FIRST ? owner : others;
                    ExecutorService secondFreer = order == Order.OWNER_FIRST ? others : owner;
                    firstFreer.submit(() -> freeAll(emma, blocks, null)).get();
                    secondFreer.submit(() -> freeAll(emma, blocks, null)).get();
                } else {
                    CyclicBarrier start = new CyclicBarrier(2);
                    Future<?> first = others.submit(() -> freeAll(emma, blocks, start));
                    Future<?> second = others.submit(() -> freeAll(emma, blocks, start));
                    first.get();
                    second.get();
                }

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
        if (start != null) {
            start.await();
        }
        for (long b : blocks) {
            emma.free(b);
        }
        // Frees into pages a thread does not own are gathered, and a bad one is found only when the
        // thread hands its batches over (FreeBatch), as trim() makes it do.
        emma.trim();
        return null;
    }
}
