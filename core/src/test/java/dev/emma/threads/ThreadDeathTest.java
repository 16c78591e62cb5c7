package dev.emma.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.support.Brief;
import dev.emma.support.Patterns;
import dev.emma.support.Seeds;
import dev.emma.support.Sizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rounds of short-lived threads: each frees what the previous round's (now dead) threads handed
 * over, allocates blocks of thread-heap sizes, frees half, hands the rest on, and dies. A dead
 * thread's heap must be reused or returned: after many rounds, the heap count and the mapped bytes
 * stay within what the first rounds needed (twice the mapped bytes, plus a little), instead of
 * growing with every round.
 */
class ThreadDeathTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 40;
    private static final int BLOCKS_PER_THREAD = 1500;
    private static final int WARM_UP_ROUNDS = 3;

    private record Block(long address, long size) {
    }

    @Test
    void heapsOfDeadThreadsDoNotLeak() throws Exception {
        long seed = Seeds.base("ThreadDeathTest");
        EmmaConfig config = EmmaConfig.defaults().withPurgeDelay(Duration.ofMillis(20));
        try (Emma emma = Emma.create(config)) {
            long liveAtStart = emma.stats().liveBlocks();
            ConcurrentLinkedQueue<Block> handedOver = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            long warmMapped = 0;
            int warmHeaps = 0;
            List<String> history = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                runRound(emma, seed + round, handedOver, errors);
                assertTrue(errors.isEmpty(), "seed " + seed + ", round " + round + ": " + errors);
                EmmaStats stats = emma.stats();
                history.add(round + ": mapped " + stats.mappedBytes() / Sizes.KiB + " KiB, heaps " + stats.heaps());
                if (round < WARM_UP_ROUNDS) {
                    warmMapped = Math.max(warmMapped, stats.mappedBytes());
                    warmHeaps = Math.max(warmHeaps, stats.heaps());
                }
            }
            System.out.println("ThreadDeathTest: mapped and heaps after each round: " + history);

            // Dead heaps are reclaimed by the background purger, which a loaded machine may delay
            // by a few rounds: give it a moment. A heap that is never reclaimed fails either way.
            long mappedBound = 2 * warmMapped + 8 * Sizes.MiB;
            int heapBound = warmHeaps + 2 * THREADS;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            EmmaStats after = emma.stats();
            while ((after.mappedBytes() > mappedBound || after.heaps() > heapBound) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                after = emma.stats();
            }
            String context = "seed " + seed + ", " + ROUNDS + " rounds of " + THREADS + " dying threads, then "
                    + Brief.of(after) + "; per round: " + history;
            assertTrue(after.heaps() <= heapBound, "heaps of dead threads are not reclaimed (bound " + heapBound + "): " + context);
            assertTrue(after.mappedBytes() <= mappedBound, "mapped bytes grew past " + mappedBound + ": " + context);

            // Blocks whose allocating thread is long dead are still valid and freeable here.
            Block b;
            while ((b = handedOver.poll()) != null) {
                assertEquals(-1, Patterns.firstMismatch(b.address(), b.size(), b.address()), "seed " + seed);
                emma.free(b.address());
            }
            EmmaStats stats = emma.stats();
            assertEquals(liveAtStart, stats.liveBlocks(), "seed " + seed + ": " + Brief.of(stats));
            assertEquals(0, stats.invalidFrees(), "seed " + seed + ": " + Brief.of(stats));
        }
    }

    private static void runRound(Emma emma, long seed, ConcurrentLinkedQueue<Block> handedOver,
                                 ConcurrentLinkedQueue<Throwable> errors) throws InterruptedException {
        List<Block> fromDeadThreads = new ArrayList<>();
        Block b;
        while ((b = handedOver.poll()) != null) {
            fromDeadThreads.add(b);
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Block> toFree = fromDeadThreads.subList(t * fromDeadThreads.size() / THREADS,
                    (t + 1) * fromDeadThreads.size() / THREADS);
            SplittableRandom random = new SplittableRandom(seed * 31 + t);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (Block old : toFree) { // remote frees into dead threads' heaps
                        assertEquals(-1, Patterns.firstMismatch(old.address(), old.size(), old.address()));
                        emma.free(old.address());
                    }
                    List<Block> mine = new ArrayList<>();
                    for (int i = 0; i < BLOCKS_PER_THREAD; i++) {
                        long size = random.nextInt(10) == 0 ? Sizes.logUniform(random, 8 * Sizes.KiB, 256 * Sizes.KiB)
                                : Sizes.logUniform(random, 16, 8 * Sizes.KiB);
                        long p = emma.allocate(size);
                        Patterns.fill(p, size, p);
                        mine.add(new Block(p, size));
                    }
                    for (int i = 0; i < mine.size(); i++) {
                        if (i % 2 == 0) {
                            handedOver.add(mine.get(i));
                        } else {
                            emma.free(mine.get(i).address());
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
