package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.memory.Memory;
import dev.emma.segment.FailingKernel;
import dev.emma.segment.Layout;
import org.junit.jupiter.api.Test;

/**
 * Freed huge blocks of up to four granules stay mapped for a block of as many granules: a 4 MiB
 * buffer (two granules with its header page, Arrow's IPC bodies) freed and allocated over and over
 * maps nothing. Before, only one-granule mappings were kept: every such buffer cost an mmap, an
 * munmap and a page fault per page (Arrow workload: four times glibc's page faults). The cache
 * holds at most 4 mappings and 32 MiB, and a mapping of more granules is unmapped at once.
 */
class HugeCacheTest {
    private static final long MiB = 1L << 20;

    private static Allocator allocator(FailingKernel kernel) {
        return new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), HandOverHooks.NONE,
                FailingKernel.mapper(kernel, 0));
    }

    @Test
    void aFourMiBBufferFreedAndAllocatedAgainMapsNothing() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = allocator(kernel);
        long first = allocator.allocate(4 * MiB); // 4 MiB + the header page: two granules
        Memory.fill(first, 4 * MiB, (byte) 7);
        int unmaps = kernel.unmapped().size(); // mapAligned's trims so far
        allocator.free(first);
        int mmaps = kernel.mmaps();
        for (int i = 0; i < 10; i++) {
            long again = allocator.allocate(4 * MiB);
            assertEquals(first, again, "the cached mapping");
            Memory.fill(again, 4 * MiB, (byte) i);
            allocator.free(again);
        }
        assertEquals(mmaps, kernel.mmaps(), "no mmap for a cached size");
        assertEquals(unmaps, kernel.unmapped().size(), "and no munmap");
        long other = allocator.allocate(5 * MiB); // also two granules: takes it, and commits 1 MiB more
        assertEquals(first, other);
        Memory.fill(other, 5 * MiB, (byte) 1);
        allocator.free(other);
        long one = allocator.allocate(2 * MiB); // one granule: not that mapping (its committed surplus would stay resident)
        assertTrue(one != first);
        allocator.free(one);
        allocator.trim();
        assertEquals(0, allocator.stats().mappedBytes() - pagesMapped(allocator), "trim() unmapped the cache");
        allocator.close();
        assertEquals(0, kernel.netMapped());
    }

    @Test
    void mappingsOfMoreGranulesOrPastTheCachesBytesAreUnmappedAtOnce() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = allocator(kernel);
        long big = allocator.allocate(17 * MiB); // five granules
        int unmaps = kernel.unmapped().size(); // mapAligned's trims so far
        allocator.free(big);
        assertEquals(unmaps + 1, kernel.unmapped().size(), "five granules: unmapped at once");

        long[] blocks = new long[3];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = allocator.allocate(11 * MiB); // three granules, 11 MiB + 4 KiB readable and writable
        }
        unmaps = kernel.unmapped().size();
        for (long block : blocks) {
            allocator.free(block);
        }
        assertEquals(unmaps + 1, kernel.unmapped().size(), "two fit in 32 MiB, the third is unmapped");
        int mmaps = kernel.mmaps();
        long a = allocator.allocate(11 * MiB);
        long b = allocator.allocate(11 * MiB);
        assertEquals(mmaps, kernel.mmaps(), "both cached ones reused");
        assertTrue(a == blocks[0] || a == blocks[1]);
        assertTrue(b == blocks[0] || b == blocks[1]);
        allocator.free(a);
        allocator.free(b);
        allocator.close();
        assertEquals(0, kernel.netMapped());
    }

    /** Bytes of the instance's pages segments (none here): what mappedBytes holds besides huge mappings. */
    private static long pagesMapped(Allocator allocator) {
        return allocator.stats().segments() * Layout.SEGMENT_SIZE;
    }

    /**
     * A cached mapping keeps the pages its last block wrote. Handed to a much smaller block (a small
     * block grown past 8 KiB takes a cached mapping: Allocator.grownMapping) it held all of them:
     * eight 9,000 B blocks kept 24 MiB resident (found in review). The surplus is purged now.
     */
    @Test
    void aSmallerBlockInACachedMappingKeepsOnlyItsOwnPagesResident() {
        Allocator allocator = allocator(new FailingKernel());
        long[] grown = new long[8];
        for (int i = 0; i < grown.length; i++) {
            long big = allocator.allocate(3 * MiB); // one granule, 3 MiB written
            Memory.fill(big, 3 * MiB, (byte) 1);
            allocator.free(big); // cached
            long small = allocator.allocate(5000);
            Memory.fill(small, 5000, (byte) 9);
            grown[i] = allocator.reallocate(small, 9000);
            assertEquals(big, grown[i], "the grown block took the cached mapping");
            assertEquals(9, Memory.getByte(grown[i] + 4999), "its contents moved with it");
        }
        long resident = allocator.residentBytes();
        assertTrue(resident < 2 * MiB, "eight 9,000 B blocks keep " + resident + " bytes resident");
        long big = allocator.allocate(3 * MiB + MiB / 2);
        Memory.fill(big, 3 * MiB + MiB / 2, (byte) 2);
        allocator.free(big);
        long half = allocator.allocate(MiB + MiB / 2); // same granule count: the same mapping
        assertEquals(big, half);
        long after = allocator.residentBytes();
        assertTrue(after < resident + 2 * MiB, "a 1.5 MiB block keeps " + (after - resident) + " bytes resident");
        Memory.fill(half, MiB + MiB / 2, (byte) 3); // its own pages stayed writable
        for (long b : grown) {
            allocator.free(b);
        }
        allocator.free(half);
        allocator.close();
    }

    /** A mapping whose surplus the kernel refuses to purge is not handed out with it: a fresh one is mapped. */
    @Test
    void aCachedMappingWhoseSurplusCannotBePurgedIsNotReused() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = allocator(kernel);
        long big = allocator.allocate(3 * MiB);
        Memory.fill(big, 3 * MiB, (byte) 1);
        allocator.free(big);
        kernel.fail(FailingKernel.Call.MADVISE, FailingKernel.EINVAL, 0, 1);
        long small = allocator.allocate(2 * MiB);
        assertTrue(small != big, "a fresh mapping");
        assertEquals(1, kernel.failures(FailingKernel.Call.MADVISE));
        long again = allocator.allocate(2 * MiB); // the kernel purges now: the cached one is taken
        assertEquals(big, again);
        allocator.free(small);
        allocator.free(again);
        allocator.close();
        assertEquals(0, kernel.netMapped());
    }
}
