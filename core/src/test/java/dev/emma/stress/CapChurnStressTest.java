package dev.emma.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.support.Brief;
import dev.emma.support.LiveRanges;
import dev.emma.support.Patterns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Oversubscribed churn of platform threads (dying, inheriting heaps) and virtual threads,
 * under a tight maxMappedBytes cap (cap relief from Mapper.reserve, under the pool lock, during
 * page refills), with trim() looping in another thread. allocate may only throw OutOfMemoryError;
 * every block must stay distinct and keep its contents.
 */
class CapChurnStressTest {
    private record Block(long address, long size) {
    }

    private static long size(SplittableRandom r) {
        return switch (r.nextInt(12)) {
            case 0 -> 600 * 1024 + r.nextInt(400 * 1024);
            case 1 -> 5L * 1024 * 1024 + r.nextInt(1024 * 1024);
            case 2, 3 -> 20 * 1024 + r.nextInt(44 * 1024);
            case 4, 5 -> 4608 + r.nextInt(3600);
            default -> 16 + r.nextInt(1024);
        };
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void churnUnderTheCap(boolean checks) throws Exception {
        EmmaConfig config = EmmaConfig.defaults().withChecks(checks).withPurgeDelay(Duration.ofMillis(1))
                .withMaxMappedBytes(48L << 20).withSharedHeaps(4);
        try (Emma emma = Emma.create(config)) {
            LiveRanges ranges = new LiveRanges();
            ConcurrentLinkedQueue<List<Block>> left = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicLong ooms = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Thread trimmer = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try {
                        emma.trim();
                    } catch (Throwable e) {
                        problems.add("trim: " + e);
                    }
                    Thread.onSpinWait();
                }
            });
            long deadline = System.nanoTime() + 5_000_000_000L;
            int waves = 0;
            while (System.nanoTime() < deadline && problems.isEmpty()) {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 24; t++) {
                    SplittableRandom random = new SplittableRandom(1000L * waves + t);
                    Runnable body = () -> {
                        try {
                            live(emma, random, ranges, left, ooms, problems);
                        } catch (Throwable e) {
                            StringBuilder sb = new StringBuilder(Thread.currentThread() + " died: " + e);
                            for (StackTraceElement s : e.getStackTrace()) sb.append("\n  at ").append(s);
                            problems.add(sb.toString());
                        }
                    };
                    threads.add(t % 3 == 0 ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body));
                }
                for (Thread t : threads) {
                    t.join();
                }
                waves++;
            }
            stop.set(true);
            trimmer.join();
            for (List<Block> rest; (rest = left.poll()) != null; ) {
                for (Block b : rest) {
                    checkAndFree(emma, ranges, b, problems);
                }
            }
            assertEquals(List.of(), List.copyOf(problems));
            // The cap must have bitten (the relief ran), or the run tested nothing of it.
            assertTrue(waves > 0 && ooms.get() > 0, waves + " waves, " + ooms.get() + " OutOfMemoryErrors");
            emma.flushFrees();
            EmmaStats stats = emma.stats();
            assertEquals(0, stats.liveBlocks(), Brief.of(stats));
            assertEquals(0, stats.invalidFrees(), Brief.of(stats));
        }
    }

    private static void live(Emma emma, SplittableRandom random, LiveRanges ranges, ConcurrentLinkedQueue<List<Block>> left,
                             AtomicLong ooms, ConcurrentLinkedQueue<String> problems) {
        List<Block> mine = new ArrayList<>();
        for (int i = 0; i < 30 && problems.isEmpty(); i++) {
            long size = size(random);
            long address;
            try {
                address = emma.allocate(size);
            } catch (OutOfMemoryError e) {
                ooms.incrementAndGet();
                // Give some back, as a program would.
                if (!mine.isEmpty()) checkAndFree(emma, ranges, mine.remove(0), problems);
                continue;
            }
            String problem = ranges.add(address, size);
            if (problem != null) {
                problems.add(problem);
                return;
            }
            long edge = Math.min(size / 2, 64);
            Patterns.fill(address, edge, address);
            Patterns.fill(address + size - edge, edge, address + 1);
            mine.add(new Block(address, size));
            if (random.nextInt(4) == 0) {
                checkAndFree(emma, ranges, mine.remove(random.nextInt(mine.size())), problems);
            }
        }
        List<Block> leaving = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            if (i % 2 == 0) checkAndFree(emma, ranges, mine.get(i), problems);
            else leaving.add(mine.get(i));
        }
        List<Block> earlier = left.poll();
        left.add(leaving);
        if (earlier != null) {
            earlier.forEach(b -> checkAndFree(emma, ranges, b, problems));
        }
        // Drain the queue a bit if it grows (keeps the cap from being all live blocks).
        if (left.size() > 16) {
            List<Block> more = left.poll();
            if (more != null) more.forEach(b -> checkAndFree(emma, ranges, b, problems));
        }
    }

    private static void checkAndFree(Emma emma, LiveRanges ranges, Block b, ConcurrentLinkedQueue<String> problems) {
        long edge = Math.min(b.size / 2, 64);
        if (Patterns.firstMismatch(b.address, edge, b.address) >= 0
                || Patterns.firstMismatch(b.address + b.size - edge, edge, b.address + 1) >= 0) {
            problems.add("block " + Patterns.hex(b.address) + " (" + b.size + " B) was overwritten");
        }
        ranges.remove(b.address);
        emma.free(b.address);
    }
}
