package dev.emma.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.support.Brief;
import dev.emma.support.LiveRanges;
import dev.emma.support.Patterns;
import dev.emma.support.Seeds;
import dev.emma.support.Sizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Page hand-overs at full rate, oversubscribed: waves of many more short-lived threads than cores,
 * on size classes whose pages hold only 3 to 14 blocks (so pages fill, are detached, queued,
 * adopted and left by dying threads all the time, and one remote free is a whole batch), with an
 * eager purger and checks on. Each thread frees blocks that earlier threads (dead or alive) left,
 * allocates, checks every block for overlap and for its contents, and dies.
 *
 * <p>The core's build also runs this class in an interpreted JVM ({@code -Xint}): interpreted code
 * is slow enough between two steps of a protocol for the other threads of 2 cores to act in
 * between, which JIT-compiled code on 2 cores almost never allows. That run found the refill race
 * of issue 9 on 2 cores within seconds, where compiled runs needed 16 cores.
 */
class ChurnStressTest {
    private static final int THREADS_PER_CORE = 8;
    private static final int BLOCKS_PER_THREAD = 10;

    /** Sizes of classes with few blocks per page: small 4.5-8 KiB, medium 36-64 KiB, large 0.6-1 MiB. */
    private static long size(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> Sizes.logUniform(random, 36 * Sizes.KiB, 64 * Sizes.KiB);
            case 1 -> Sizes.logUniform(random, 600 * Sizes.KiB, Sizes.MiB);
            default -> Sizes.logUniform(random, 4608, 8 * Sizes.KiB);
        };
    }

    private record Block(long address, long size) {
    }

    @Test
    void dyingThreadsHandPagesOverWhileOthersFreeIntoThem() throws Exception {
        long seed = Seeds.base("ChurnStressTest");
        boolean interpreted = System.getProperty("java.vm.info", "").contains("interpreted");
        long runNanos = TimeUnit.SECONDS.toNanos(interpreted ? 6 : 3);
        int wave = THREADS_PER_CORE * Runtime.getRuntime().availableProcessors();
        EmmaConfig config = EmmaConfig.defaults().withChecks(true).withPurgeDelay(Duration.ofMillis(1));
        try (Emma emma = Emma.create(config)) {
            LiveRanges ranges = new LiveRanges();
            ConcurrentLinkedQueue<List<Block>> left = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicLong allocations = new AtomicLong();
            long deadline = System.nanoTime() + runNanos;
            int waves = 0;
            while (System.nanoTime() < deadline && problems.isEmpty()) {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < wave; t++) {
                    SplittableRandom random = new SplittableRandom(seed + 1000L * waves + t);
                    threads.add(Thread.ofPlatform().name("emma-churn-" + waves + "-" + t).start(() -> {
                        try {
                            live(emma, random, ranges, left, allocations, problems);
                        } catch (Throwable e) {
                            problems.add(Thread.currentThread().getName() + " died: " + e);
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
                waves++;
            }
            String context = "seed " + seed + ", " + waves + " waves of " + wave + " threads"
                    + (interpreted ? " (interpreted)" : "") + ", " + allocations.get() + " allocations";
            System.out.println("ChurnStressTest: " + context);
            assertEquals(List.of(), List.copyOf(problems), context);
            assertTrue(waves >= 2, "the run must do real work: " + context);
            for (List<Block> rest; (rest = left.poll()) != null; ) {
                for (Block b : rest) {
                    checkAndFree(emma, ranges, b, problems);
                }
            }
            assertEquals(List.of(), List.copyOf(problems), context);
            EmmaStats stats = emma.stats();
            assertEquals(0, stats.liveBlocks(), Brief.of(stats) + ", " + context);
            assertEquals(0, stats.invalidFrees(), Brief.of(stats) + ", " + context);
            assertEquals(allocations.get(), stats.totalAllocations(), Brief.of(stats) + ", " + context);
        }
    }

    /** One thread's life: allocate, free half, leave half, free what an earlier thread left, die. */
    private static void live(Emma emma, SplittableRandom random, LiveRanges ranges, ConcurrentLinkedQueue<List<Block>> left,
                             AtomicLong allocations, ConcurrentLinkedQueue<String> problems) {
        List<Block> mine = new ArrayList<>();
        for (int i = 0; i < BLOCKS_PER_THREAD && problems.isEmpty(); i++) {
            long size = size(random);
            long address = emma.allocate(size);
            allocations.incrementAndGet();
            String problem = ranges.add(address, address == 0 ? size : emma.usableSize(address));
            if (problem != null) {
                problems.add(problem);
                return;
            }
            mark(address, size);
            mine.add(new Block(address, size));
        }
        List<Block> leaving = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            if (i % 2 == 0) {
                checkAndFree(emma, ranges, mine.get(i), problems);
            } else {
                leaving.add(mine.get(i));
            }
        }
        // A burst of remote frees into the pages of an earlier thread, while other threads of the
        // wave adopt those pages (queued when that thread's dead heap was reclaimed).
        List<Block> earlier = left.poll();
        left.add(leaving);
        if (earlier != null) {
            earlier.forEach(b -> checkAndFree(emma, ranges, b, problems));
        }
    }

    /** A pattern at both ends of the block (whole blocks would make interpreted runs crawl). */
    private static void mark(long address, long size) {
        long edge = Math.min(size, 64);
        Patterns.fill(address, edge, address);
        Patterns.fill(address + size - edge, edge, address + 1);
    }

    private static void checkAndFree(Emma emma, LiveRanges ranges, Block b, ConcurrentLinkedQueue<String> problems) {
        long edge = Math.min(b.size(), 64);
        if (Patterns.firstMismatch(b.address(), edge, b.address()) >= 0
                || Patterns.firstMismatch(b.address() + b.size() - edge, edge, b.address() + 1) >= 0) {
            problems.add("block " + Patterns.hex(b.address()) + " (" + b.size() + " B) was overwritten while live");
            return;
        }
        ranges.remove(b.address());
        emma.free(b.address());
    }
}
