package dev.emma.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.support.BlockAllocator;
import dev.emma.support.Seeds;
import dev.emma.support.Sizes;
import dev.emma.support.StressRun;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The stress checker must fail on an allocator that hands out overlapping or unaligned blocks:
 * the same {@link StressRun} is pointed at deliberately broken allocators. The healthy baseline is
 * a shared FFM arena that never reuses memory (so it cannot overlap).
 */
class StressCheckerSelfTest {

    private static final StressRun.Settings SETTINGS = new StressRun.Settings(4, 2_000, 16, 64 * Sizes.KiB, 32, 0.3,
            TimeUnit.SECONDS.toNanos(10));

    /** Correct, never reuses: free does nothing, the arena's close releases everything. */
    private static final class ArenaBlocks implements BlockAllocator {
        final Arena arena = Arena.ofShared();

        @Override
        public long allocate(long size) {
            return arena.allocate(size, 16).address();
        }

        @Override
        public void free(long address) {
        }
    }

    /** Every 50th allocation returns an address 16 bytes into a live block big enough to hold it. */
    private static final class OverlappingBlocks implements BlockAllocator {
        final ArenaBlocks inner = new ArenaBlocks();
        final AtomicLong calls = new AtomicLong();
        final Map<Long, Long> real = new ConcurrentHashMap<>();
        final Set<Long> fakes = ConcurrentHashMap.newKeySet();

        @Override
        public long allocate(long size) {
            if (calls.incrementAndGet() % 50 == 0) {
                for (Map.Entry<Long, Long> e : real.entrySet()) {
                    if (e.getValue() >= size + 16) {
                        fakes.add(e.getKey() + 16);
                        return e.getKey() + 16;
                    }
                }
            }
            long address = inner.allocate(size);
            real.put(address, size);
            return address;
        }

        @Override
        public void free(long address) {
            if (!fakes.remove(address)) {
                real.remove(address);
            }
        }
    }

    /** Every 50th allocation is only 8-byte aligned. */
    private static final class MisalignedBlocks implements BlockAllocator {
        final ArenaBlocks inner = new ArenaBlocks();
        final AtomicLong calls = new AtomicLong();

        @Override
        public long allocate(long size) {
            long address = inner.allocate(size + 16);
            return calls.incrementAndGet() % 50 == 0 ? address + 8 : address;
        }

        @Override
        public void free(long address) {
        }
    }

    @Test
    void healthyAllocatorPasses() throws Exception {
        long seed = Seeds.base("StressCheckerSelfTest.healthy");
        ArenaBlocks healthy = new ArenaBlocks();
        try (healthy.arena) {
            StressRun.Result result = StressRun.run(healthy, SETTINGS, seed);
            assertEquals(List.of(), result.violations(), "seed " + seed);
            assertTrue(result.allocations() > 1_000, "seed " + seed + ": " + result);
            assertTrue(result.handedOff() > 0, "seed " + seed + ": " + result);
        }
    }

    @Test
    void overlappingBlocksAreReported() throws Exception {
        long seed = Seeds.base("StressCheckerSelfTest.overlapping");
        OverlappingBlocks broken = new OverlappingBlocks();
        try (broken.inner.arena) {
            StressRun.Result result = StressRun.run(broken, SETTINGS, seed);
            assertFalse(result.violations().isEmpty(), "the checker missed overlapping blocks, seed " + seed);
            assertTrue(result.violations().stream().anyMatch(v -> v.contains("overlaps live block")),
                    "seed " + seed + ": " + result.violations());
        }
    }

    @Test
    void misalignedBlocksAreReported() throws Exception {
        long seed = Seeds.base("StressCheckerSelfTest.misaligned");
        MisalignedBlocks broken = new MisalignedBlocks();
        try (broken.inner.arena) {
            StressRun.Result result = StressRun.run(broken, SETTINGS, seed);
            assertFalse(result.violations().isEmpty(), "the checker missed a misaligned block, seed " + seed);
            assertTrue(result.violations().stream().anyMatch(v -> v.contains("not 16-byte aligned")),
                    "seed " + seed + ": " + result.violations());
        }
    }
}
