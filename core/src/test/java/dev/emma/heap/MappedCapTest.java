package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.memory.Memory;
import dev.emma.segment.FailingKernel;
import dev.emma.segment.Layout;
import org.junit.jupiter.api.Test;

/**
 * maxMappedBytes counts what is mapped, and freed blocks do not make an allocation throw: a
 * mapping that would pass the cap first gives back the huge cache and wholly free segments.
 */
class MappedCapTest {
    private static final long MiB = 1L << 20;

    private static Allocator allocator(FailingKernel kernel, long cap) {
        return new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), HandOverHooks.NONE,
                FailingKernel.mapper(kernel, cap));
    }

    /** A move (mremap) needs newAccessible - committed more bytes, but reserve() counted newAccessible. */
    @Test
    void growingByMoveUnderTheCapCountsOnlyTheGrowth() {
        Allocator allocator = allocator(new FailingKernel(), 40 * MiB);
        long block = allocator.allocate(20 * MiB); // 20 MiB + 4 KiB counted, 6 granules
        Memory.fill(block, 20 * MiB, (byte) 3);
        assertTrue(allocator.stats().mappedBytes() <= 21 * MiB);
        // After the move 25 MiB + 4 KiB are mapped, well under the 40 MiB cap.
        long grown;
        try {
            grown = allocator.reallocate(block, 25 * MiB);
        } catch (OutOfMemoryError e) {
            throw new AssertionError("too early: " + e.getMessage());
        }
        assertEquals(3, Memory.getByte(grown + 20 * MiB - 1));
        allocator.free(grown);
        allocator.close();
    }

    @Test
    void peakMappedBytesOfAMoveCountsNoMappingTwice() {
        Allocator allocator = allocator(new FailingKernel(), 0);
        long block = allocator.allocate(20 * MiB);
        long grown = allocator.reallocate(block, 25 * MiB);
        long peak = allocator.stats().peakMappedBytes();
        allocator.free(grown);
        allocator.close();
        assertTrue(peak <= 26 * MiB, "peak " + (peak / MiB) + " MiB, never more than 25 MiB + 4 KiB were mapped");
    }

    /** Freed huge mappings kept in the cache counted against the cap, and an allocation never dropped them. */
    @Test
    void cachedHugeMappingsGiveWayToAHugeBlockAtTheCap() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = allocator(kernel, 40 * MiB);
        freeCachedHugeBlocks(allocator, 4);
        long big;
        try {
            big = allocator.allocate(20 * MiB); // 20 MiB with nothing live, cap 40 MiB
        } catch (OutOfMemoryError e) {
            throw new AssertionError("nothing live: " + e.getMessage());
        }
        assertEquals(20 * MiB + 4096, allocator.stats().mappedBytes(), "the cache gave its mappings back");
        allocator.free(big);
        allocator.close();
        assertEquals(0, kernel.netMapped());
    }

    /** What is live still counts: at the cap with live blocks, the OutOfMemoryError comes as before. */
    @Test
    void liveBlocksStillMakeTheCapThrow() {
        Allocator allocator = allocator(new FailingKernel(), 40 * MiB);
        long live = allocator.allocate(24 * MiB);
        freeCachedHugeBlocks(allocator, 2);
        assertThrows(OutOfMemoryError.class, () -> allocator.allocate(20 * MiB));
        assertEquals(24 * MiB + 4096, allocator.stats().mappedBytes(), "the cache was given back, the live block kept");
        allocator.free(live);
        allocator.close();
    }

    /** A new pages segment at the cap: the cached huge mappings give way too. */
    @Test
    void cachedHugeMappingsGiveWayToANewSegmentAtTheCap() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = allocator(kernel, 16 * MiB);
        freeCachedHugeBlocks(allocator, 2); // 14 MiB + 8 KiB cached
        long small;
        try {
            small = allocator.allocate(100); // a new 4 MiB segment
        } catch (OutOfMemoryError e) {
            throw new AssertionError("nothing live: " + e.getMessage());
        }
        assertEquals(Layout.SEGMENT_SIZE, allocator.stats().mappedBytes());
        allocator.free(small);
        allocator.close();
        assertEquals(0, kernel.netMapped());
    }

    /**
     * Wholly free segments that have not waited out the purge delay (for good without a background
     * purge) counted against the cap, and a huge allocation never retired them.
     */
    @Test
    void whollyFreeSegmentsGiveWayToAHugeBlockAtTheCap() throws Throwable {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = allocator(kernel, 16 * MiB);
        ForcedInterleaving.onThreadThatDies(() -> {
            long[] blocks = new long[1024];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = allocator.allocate(8192); // 8 MiB of blocks: at least two segments
                Memory.fill(blocks[i], 8192, (byte) 1);
            }
            for (long b : blocks) {
                allocator.free(b);
            }
            return null;
        });
        allocator.purge(Long.MAX_VALUE); // the dead thread's pages go back to the pool; nothing is old enough to return
        long segments = allocator.stats().segments();
        assertTrue(segments >= 2, segments + " segments");
        assertEquals(segments * Layout.SEGMENT_SIZE, allocator.stats().mappedBytes());
        assertEquals(0, allocator.stats().liveBytes());
        long big;
        try {
            big = allocator.allocate(12 * MiB); // 12 MiB + 4 KiB with nothing live, cap 16 MiB
        } catch (OutOfMemoryError e) {
            throw new AssertionError("nothing live: " + e.getMessage());
        }
        assertEquals(0, allocator.stats().segments(), "the free segments were retired");
        assertEquals(12 * MiB + 4096, allocator.stats().mappedBytes());
        allocator.free(big);
        long small = allocator.allocate(8192); // a retired segment's addresses serve again
        assertEquals(0, Memory.getLong(small), "a retired segment reads as zero");
        allocator.free(small);
        allocator.close();
        assertEquals(0, kernel.netMapped());
    }

    /** Allocates, writes and frees {@code n} blocks of 7 MiB (two granules each, 7 MiB + 4 KiB counted): all cached. */
    private static void freeCachedHugeBlocks(Allocator allocator, int n) {
        long liveBefore = allocator.stats().liveBytes();
        long mappedBefore = allocator.stats().mappedBytes();
        long[] blocks = new long[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = allocator.allocate(7 * MiB);
            Memory.fill(blocks[i], 7 * MiB, (byte) 5);
        }
        for (long b : blocks) {
            allocator.free(b);
        }
        assertEquals(liveBefore, allocator.stats().liveBytes());
        assertEquals(mappedBefore + n * (7 * MiB + 4096), allocator.stats().mappedBytes(), "all cached, still mapped");
    }
}
