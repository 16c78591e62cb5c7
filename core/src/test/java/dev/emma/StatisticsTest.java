package dev.emma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.support.Brief;
import dev.emma.support.Sizes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The counters agree with what the test did, in total and per size class. */
class StatisticsTest {

    private static final long[] SIZES = {16, 17, 100, 504, 505, 4096, 4097, 12_288, 70_000, 900_000, 2 * Sizes.MiB, 9 * Sizes.MiB};

    @Test
    void aFreshInstanceCountsNothing() {
        try (Emma emma = Emma.create()) {
            EmmaStats s = emma.stats();
            assertEquals(0, s.liveBytes(), Brief.of(s));
            assertEquals(0, s.liveBlocks(), Brief.of(s));
            assertEquals(0, s.totalAllocations(), Brief.of(s));
            assertEquals(0, s.totalFrees(), Brief.of(s));
            assertEquals(0, s.invalidFrees(), Brief.of(s));
            assertEquals(0, s.hugeBlocks(), Brief.of(s));
            for (EmmaStats.SizeClassStats c : s.sizeClasses()) {
                assertEquals(0, c.liveBlocks(), c.toString());
                assertEquals(0, c.allocations(), c.toString());
            }
        }
    }

    @Test
    void countersFollowAllocationsAndFreesPerSizeClass() {
        try (Emma emma = Emma.create()) {
            List<Long> blocks = new ArrayList<>();
            Map<Long, Long> perClass = new HashMap<>(); // block size (0 = huge) -> count
            long usableTotal = 0;
            int huge = 0;
            for (int round = 0; round < 3; round++) {
                for (long size : SIZES) {
                    long p = emma.allocate(size);
                    blocks.add(p);
                    long usable = emma.usableSize(p);
                    usableTotal += usable;
                    perClass.merge(size > Sizes.MiB ? 0 : usable, 1L, Long::sum);
                    huge += size > Sizes.MiB ? 1 : 0;
                }
            }
            EmmaStats s = emma.stats();
            assertEquals(blocks.size(), s.liveBlocks(), Brief.of(s));
            assertEquals(usableTotal, s.liveBytes(), Brief.of(s));
            assertEquals(blocks.size(), s.totalAllocations(), Brief.of(s));
            assertEquals(0, s.totalFrees(), Brief.of(s));
            assertEquals(huge, s.hugeBlocks(), Brief.of(s));
            assertTrue(s.mappedBytes() >= s.liveBytes(), Brief.of(s));
            assertTrue(s.peakMappedBytes() >= s.mappedBytes(), Brief.of(s));
            assertTrue(s.segments() >= 1, Brief.of(s));
            assertTrue(s.heaps() >= 1, Brief.of(s));
            for (Map.Entry<Long, Long> e : perClass.entrySet()) {
                EmmaStats.SizeClassStats c = sizeClass(s, e.getKey());
                assertEquals(e.getValue(), c.liveBlocks(), "class " + e.getKey() + ": " + c);
                assertEquals(e.getValue(), c.allocations(), "class " + e.getKey() + ": " + c);
            }

            for (long p : blocks) {
                emma.free(p);
            }
            s = emma.stats();
            assertEquals(0, s.liveBlocks(), Brief.of(s));
            assertEquals(0, s.liveBytes(), Brief.of(s));
            assertEquals(blocks.size(), s.totalFrees(), Brief.of(s));
            assertEquals(blocks.size(), s.totalAllocations(), Brief.of(s));
            assertEquals(0, s.hugeBlocks(), Brief.of(s));
            for (Map.Entry<Long, Long> e : perClass.entrySet()) {
                EmmaStats.SizeClassStats c = sizeClass(s, e.getKey());
                assertEquals(0, c.liveBlocks(), "class " + e.getKey() + ": " + c);
                assertEquals(e.getValue(), c.allocations(), "class " + e.getKey() + ": " + c);
            }
        }
    }

    @Test
    void countersAddUpAcrossThreadsAndRemoteFrees() throws Exception {
        int threads = 4;
        int each = 2000;
        try (Emma emma = Emma.create()) {
            ConcurrentLinkedQueue<Long> handOff = new ConcurrentLinkedQueue<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        long p = emma.allocate(16 + (i % 300) * 8);
                        if (i % 2 == 0) {
                            handOff.add(p);
                        } else {
                            emma.free(p);
                        }
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            EmmaStats s = emma.stats();
            assertEquals((long) threads * each, s.totalAllocations(), Brief.of(s));
            assertEquals((long) threads * each / 2, s.totalFrees(), Brief.of(s));
            assertEquals(handOff.size(), s.liveBlocks(), Brief.of(s));
            handOff.forEach(emma::free); // from this thread: remote for all of them
            s = emma.stats();
            assertEquals(0, s.liveBlocks(), Brief.of(s));
            assertEquals(0, s.liveBytes(), Brief.of(s));
            assertEquals((long) threads * each, s.totalFrees(), Brief.of(s));
            long perClassAllocations = s.sizeClasses().stream().mapToLong(EmmaStats.SizeClassStats::allocations).sum();
            assertEquals(s.totalAllocations(), perClassAllocations, Brief.of(s));
        }
    }

    @Test
    void invalidFreesAreCountedNotFreed() {
        try (Emma emma = Emma.create()) {
            long p = emma.allocate(64);
            emma.free(p);
            emma.free(p);
            emma.free(0x1000);
            EmmaStats s = emma.stats();
            assertEquals(2, s.invalidFrees(), Brief.of(s));
            assertEquals(1, s.totalFrees(), Brief.of(s));
        }
    }

    private static EmmaStats.SizeClassStats sizeClass(EmmaStats s, long blockSize) {
        return s.sizeClasses().stream().filter(c -> c.blockSize() == blockSize).findFirst()
                .orElseThrow(() -> new AssertionError("no size class of " + blockSize + " B in " + s.sizeClasses()));
    }
}
