package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.memory.Memory;
import dev.emma.os.SyscallException;
import dev.emma.os.Syscalls;
import dev.emma.segment.FailingKernel;
import dev.emma.segment.FailingKernel.Call;
import dev.emma.segment.Layout;
import dev.emma.segment.Mapper;
import dev.emma.segment.ProcMaps;
import dev.emma.segment.SegmentMap;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/**
 * A huge block grown past its mapping moves with mremap onto a new aligned reservation. When the
 * mremap fails, reallocate throws and the block stays where it was, live, registered and unchanged,
 * and nothing of the new reservation stays registered, counted or mapped; where the kernel unmapped
 * the target before failing, what another thread mapped into that hole is left alone. And growth
 * that moves, grows in place, then moves again works: before, the second mremap failed with EFAULT.
 * A commit (mprotect) that fails leaves the block, or the cached mapping it was for, as it was.
 */
class HugeGrowTest {
    private static final long MiB = 1L << 20;
    private static final long SEGMENT = Layout.SEGMENT_SIZE;

    /** The kernel left the target mapped: the reservation stays, PROT_NONE (address space, no memory). */
    @Test
    void aFailedMoveLeavesTheBlockLiveAndUnchangedAndItsReservationUnregistered() {
        FailingKernel kernel = new FailingKernel();
        long reservation = assertAFailedMoveIsClean(kernel, 8 * MiB);
        assertEquals("---p", ProcMaps.perms(reservation), "the reservation left behind is PROT_NONE");
        assertEquals("---p", ProcMaps.perms(reservation + 8 * MiB - 1));
        Syscalls.munmap(reservation, 8 * MiB);
    }

    /** The kernel unmapped the target before failing: the hole is left as it is (nothing to leak). */
    @Test
    void aFailedMoveWhoseTargetTheKernelUnmappedLeaksNothing() {
        assertAFailedMoveIsClean(new FailingKernel().unmappingTheTargetFirst(false), 0);
    }

    /**
     * The kernel unmapped the target, and another mapping took part of the hole: Emma leaves it
     * mapped. (An earlier version probed the target with msync and unmapped it when it was all
     * mapped: a foreign mapping that covered the whole hole was unmapped, and its registration,
     * if another Emma mapping took the hole, cleared.)
     */
    @Test
    void aFailedMoveLeavesAForeignMappingInTheHoleAlone() {
        FailingKernel kernel = new FailingKernel().unmappingTheTargetFirst(true);
        assertAFailedMoveIsClean(kernel, 0);
        long foreign = kernel.foreignPage();
        assertNotEquals(0, foreign);
        assertTrue(mapped(foreign), "the foreign page is still mapped");
        Memory.putLong(foreign, 42);
        Syscalls.munmap(foreign, Syscalls.PAGE_SIZE);
    }

    /** Whether the page is mapped: mincore fails (ENOMEM, an OutOfMemoryError here) where it is not. */
    private static boolean mapped(long page) {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls.mincore(page, Syscalls.PAGE_SIZE, arena.allocate(1).address());
            return true;
        } catch (OutOfMemoryError | RuntimeException notMapped) {
            return false;
        }
    }

    /** Returns the reservation's base; {@code leftMapped}: its bytes the kernel left mapped. */
    private static long assertAFailedMoveIsClean(FailingKernel kernel, long leftMapped) {
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        Allocator allocator = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), HandOverHooks.NONE, mapper);
        long size = 3 * MiB; // one 4 MiB granule; 5 MiB needs a move
        long p = allocator.allocate(size);
        fill(p, size);
        long usable = allocator.usableSize(p);
        long mappedBefore = mapper.mappedBytes();
        long netBefore = kernel.netMapped();
        int mmapsBefore = kernel.mmaps();
        kernel.fail(Call.MREMAP, FailingKernel.EINVAL, 0, 1);

        SyscallException e = assertThrows(SyscallException.class, () -> allocator.reallocate(p, 5 * MiB));
        assertTrue(e.getMessage().contains("mremap"), e.getMessage());
        assertEquals(mmapsBefore + 1, kernel.mmaps(), "the new reservation was mapped");
        assertEquals(mappedBefore, mapper.mappedBytes(), "the new reservation is not counted");
        assertEquals(netBefore + leftMapped, kernel.netMapped(), "the reservation is never unmapped: it may be a hole now");
        long raw = kernel.lastMapped();
        for (long granule = raw & -SEGMENT; granule < raw + 3 * SEGMENT; granule += SEGMENT) {
            assertEquals(SegmentMap.NONE, mapper.map().get(granule), "a stale map entry at 0x" + Long.toHexString(granule));
        }
        assertEquals(SegmentMap.HUGE_START, mapper.map().get(p), "the block is still registered");
        assertTrue(allocator.owns(p));
        assertEquals(usable, allocator.usableSize(p), "the block is unchanged");
        check(p, size);

        long q = allocator.reallocate(p, 5 * MiB); // works now
        check(q, size);
        allocator.free(q);
        assertEquals(0, allocator.stats().invalidFrees());
        allocator.close();
        assertEquals(0, mapper.mappedBytes());
        assertEquals(leftMapped, kernel.netMapped(), "nothing else left mapped");
        return (raw + SEGMENT - 1) & -SEGMENT;
    }

    @Test
    void growthThatMovesGrowsInPlaceThenMovesAgainWorks() {
        FailingKernel kernel = new FailingKernel();
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        Allocator allocator = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), HandOverHooks.NONE, mapper);
        long p = allocator.allocate(3 * MiB);
        fill(p, 3 * MiB);
        long moved = allocator.reallocate(p, 5 * MiB); // to a new 8 MiB reservation
        assertNotEquals(Layout.segmentOf(p), Layout.segmentOf(moved));
        long base = Layout.segmentOf(moved);
        long end = moved + 5 * MiB;
        assertEquals("---p", ProcMaps.perms((end + 4095) & -4096L), "the moved block's reserved tail is PROT_NONE");
        assertEquals("---p", ProcMaps.perms(base + 2 * SEGMENT - 1));

        long inPlace = allocator.reallocate(moved, 7 * MiB); // a commit into that tail
        assertEquals(moved, inPlace);
        for (long a = moved + 5 * MiB; a < moved + 7 * MiB; a += 4096) {
            assertEquals(0, Memory.getLong(a), "grown bytes read as zero");
        }
        fill(inPlace + 3 * MiB, 4 * MiB);
        long again = allocator.reallocate(inPlace, 20 * MiB); // moves [base, committed): one VMA
        check(again, 3 * MiB);
        fill(again, 20 * MiB);
        allocator.free(again);
        allocator.close();
        assertEquals(0, mapper.mappedBytes());
        assertEquals(0, kernel.netMapped(), "nothing left mapped");
    }

    /** A grow in place whose commit fails: reallocate throws, the block is as it was, a later grow works. */
    @Test
    void aFailedCommitLeavesTheBlockUnchanged() {
        FailingKernel kernel = new FailingKernel();
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        Allocator allocator = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), HandOverHooks.NONE, mapper);
        long size = 3 * MiB / 2;
        long p = allocator.allocate(size);
        fill(p, size);
        long usable = allocator.usableSize(p);
        long mapped = mapper.mappedBytes();
        long live = allocator.stats().liveBytes();
        kernel.fail(Call.MPROTECT, FailingKernel.EINVAL, 0, 1);

        assertThrows(SyscallException.class, () -> allocator.reallocate(p, 3 * MiB));
        assertEquals(mapped, mapper.mappedBytes(), "the failed commit is not counted");
        assertEquals(live, allocator.stats().liveBytes());
        assertEquals(usable, allocator.usableSize(p), "the block is unchanged");
        check(p, size);

        assertEquals(p, allocator.reallocate(p, 3 * MiB), "grown in place now");
        for (long a = p + usable; a < p + 3 * MiB; a += 4096) {
            assertEquals(0, Memory.getLong(a), "grown bytes read as zero");
        }
        fill(p, 3 * MiB);
        allocator.free(p);
        allocator.close();
        assertEquals(0, kernel.netMapped(), "nothing left mapped");
    }

    /** A cached mapping whose commit fails goes back to the cache; before, it was neither cached nor live: leaked. */
    @Test
    void aCachedMappingWhoseCommitFailedStaysCached() {
        FailingKernel kernel = new FailingKernel();
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        Allocator allocator = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), HandOverHooks.NONE, mapper);
        long small = allocator.allocate(2 * MiB);
        allocator.free(small); // cached, 2 MiB + 4 KiB committed
        long mapped = mapper.mappedBytes();
        int mmaps = kernel.mmaps();
        kernel.fail(Call.MPROTECT, FailingKernel.EINVAL, 0, 1);

        assertThrows(SyscallException.class, () -> allocator.allocate(3 * MiB)); // needs a commit
        assertEquals(mapped, mapper.mappedBytes(), "the failed commit is not counted");
        long p = allocator.allocate(3 * MiB);
        assertEquals(small, p, "the cached mapping was reused");
        assertEquals(mmaps, kernel.mmaps(), "no new mapping");
        fill(p, 3 * MiB);
        allocator.free(p);
        allocator.close();
        assertEquals(0, mapper.mappedBytes());
        assertEquals(0, kernel.netMapped(), "nothing left mapped");
    }

    private static void fill(long address, long size) {
        for (long off = 0; off < size; off += 4096) {
            Memory.putLong(address + off, off + 1);
        }
    }

    private static void check(long address, long size) {
        for (long off = 0; off < size; off += 4096) {
            assertEquals(off + 1, Memory.getLong(address + off), "the page at +" + off + " kept its contents");
        }
    }
}
