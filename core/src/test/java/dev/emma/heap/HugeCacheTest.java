package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.memory.Memory;
import dev.emma.segment.FailingKernel;
import dev.emma.segment.Layout;
import java.util.ArrayList;
import java.util.List;
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

    /** A huge block of {@code size} bytes, written through and freed: its mapping is cached with all its pages resident. */
    private static long writtenAndCached(Allocator allocator, long size) {
        long block = allocator.allocate(size);
        Memory.fill(block, size, (byte) 1);
        allocator.free(block);
        return block;
    }

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
     * block grown past 8 KiB takes a cached mapping: Allocator.grownMapping), all of them stayed
     * resident with it: sixteen 9,000 B blocks kept 48 MiB (found in review). Now such surplus is
     * kept for live blocks up to the cache's own bound (32 MiB); past it a reuse purges its own.
     */
    @Test
    void surplusOfReusedMappingsStaysResidentOnlyUpToTheCachesBound() {
        Allocator allocator = allocator(new FailingKernel());
        long[] grown = new long[16];
        for (int i = 0; i < grown.length; i++) {
            long big = writtenAndCached(allocator, 3 * MiB); // one granule, 3 MiB written
            long small = allocator.allocate(5000);
            Memory.fill(small, 5000, (byte) 9);
            grown[i] = allocator.reallocate(small, 9000);
            assertEquals(big, grown[i], "the grown block took the cached mapping");
            assertEquals(9, Memory.getByte(grown[i] + 4999), "its contents moved with it");
        }
        long resident = allocator.residentBytes();
        assertTrue(resident < 34 * MiB, "sixteen 9,000 B blocks keep " + resident + " bytes resident");
        for (long b : grown) {
            assertEquals(b, allocator.reallocate(b, 3 * MiB), "each grows in place into its surplus");
            Memory.fill(b, 3 * MiB, (byte) 4);
        }
        for (long b : grown) {
            allocator.free(b);
        }
        allocator.close();
    }

    /**
     * A buffer grown by doubling and freed, over and over, takes the same cached mapping each time
     * and grows into the pages it wrote before: no madvise, no page fault (purging the surplus at
     * each reuse made JMH realloc 16 B -> 1 MiB a hundred times slower than glibc).
     */
    @Test
    void aBufferGrownAndFreedOverAndOverPurgesNothing() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = allocator(kernel);
        long first = 0;
        for (int round = 0; round < 40; round++) { // 40 MiB of surplus in all, if frees did not give it back
            long b = allocator.allocate(16);
            for (long size = 32; size <= MiB; size *= 2) {
                b = allocator.reallocate(b, size);
                Memory.putByte(b + size - 1, (byte) round);
            }
            if (round == 0) {
                first = b;
            }
            assertEquals(first, b, "the same mapping every round");
            allocator.free(b);
        }
        assertEquals(0, kernel.madvised().size(), "madvised " + kernel.madvised());
        allocator.close();
    }

    /**
     * Reuses keep their surplus up to 32 MiB in all, then purge it; and a mapping whose surplus the
     * kernel refuses to purge is not handed out with it: a fresh one is mapped.
     */
    @Test
    void pastTheBoundAReuseWhoseSurplusCannotBePurgedMapsAFreshMapping() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = allocator(kernel);
        long bigSize = 4 * MiB - 8192; // one granule with its header page, 4 MiB - 4 KiB committed
        long smallSize = MiB + MiB / 2; // 2.5 MiB - 8 KiB of surplus in such a mapping
        List<Long> kept = new ArrayList<>();
        while (kernel.madvised().isEmpty() && kept.size() < 20) {
            long big = writtenAndCached(allocator, bigSize);
            kept.add(allocator.allocate(smallSize));
            assertEquals(big, kept.get(kept.size() - 1), "the cached mapping");
        }
        assertEquals(13, kept.size(), "12 surpluses fit in 32 MiB, the 13th is purged");
        long big = writtenAndCached(allocator, bigSize);
        kernel.fail(FailingKernel.Call.MADVISE, FailingKernel.EINVAL, 0, 1);
        long small = allocator.allocate(smallSize);
        assertTrue(small != big, "a fresh mapping");
        assertEquals(1, kernel.failures(FailingKernel.Call.MADVISE));
        long again = allocator.allocate(smallSize); // the kernel purges now: the cached one is taken
        assertEquals(big, again);
        assertEquals(2, kernel.madvised().size());
        allocator.free(small);
        allocator.free(again);
        for (long b : kept) {
            allocator.free(b);
        }
        writtenAndCached(allocator, bigSize); // the frees gave their surplus back: kept again
        allocator.free(allocator.allocate(smallSize));
        assertEquals(2, kernel.madvised().size());
        allocator.close();
        assertEquals(0, kernel.netMapped());
    }

    /**
     * A purged surplus is no longer counted against the bound: with blocks whose surplus was purged
     * still live, a buffer grown and freed over and over keeps its pages again once the bound has
     * room (found in review: the purged bytes stayed counted, and every reuse madvised).
     */
    @Test
    void aPurgedSurplusNoLongerCountsAgainstTheBound() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = allocator(kernel);
        long bigSize = 4 * MiB - 8192;
        long smallSize = MiB + MiB / 2;
        List<Long> kept = new ArrayList<>();
        List<Long> purged = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long big = writtenAndCached(allocator, bigSize);
            int before = kernel.madvised().size();
            long block = allocator.allocate(smallSize);
            (kernel.madvised().size() > before ? purged : kept).add(block);
        }
        assertEquals(12, kept.size());
        for (long b : kept) {
            allocator.free(b);
        }
        int before = kernel.madvised().size();
        for (int round = 0; round < 10; round++) {
            long b = allocator.allocate(16);
            for (long size = 32; size <= MiB; size *= 2) {
                b = allocator.reallocate(b, size);
            }
            allocator.free(b);
        }
        assertEquals(before, kernel.madvised().size(), "madvised while growing and freeing one buffer");
        for (long b : purged) {
            allocator.free(b);
        }
        allocator.close();
        assertEquals(0, kernel.netMapped());
    }
}
