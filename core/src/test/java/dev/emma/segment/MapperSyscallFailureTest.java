package dev.emma.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.memory.Memory;
import dev.emma.os.SyscallException;
import dev.emma.page.PageKind;
import dev.emma.segment.FailingKernel.Call;
import org.junit.jupiter.api.Test;

/**
 * {@link Mapper#mapAligned} whose mmap or munmap fails at each step: the caller gets what the
 * syscall threw (an OutOfMemoryError for ENOMEM), and nothing of the attempt stays: not the bytes
 * counted as mapped, not an ownership map entry, not a mapping. And {@link Mapper#unmap} whose
 * munmap fails: the mapping stays registered and counted, as it stays mapped.
 */
class MapperSyscallFailureTest {
    private static final long SEGMENT = Layout.SEGMENT_SIZE;
    private static final byte SHIFT = (byte) PageKind.SMALL.shift;

    @Test
    void enomemFromTheMmapIsAnOutOfMemoryError() {
        FailingKernel kernel = new FailingKernel().fail(Call.MMAP, FailingKernel.ENOMEM, 0, 1);
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> mapper.mapAligned(SEGMENT, SEGMENT, SHIFT, SegmentMap.NONE));
        assertTrue(e.getMessage().contains("mmap") && e.getMessage().contains("ENOMEM"), e.getMessage());
        assertNothingLeft(kernel, mapper);
        assertWorksAgain(kernel, mapper);
    }

    @Test
    void anotherErrnoIsASyscallExceptionNamingIt() {
        FailingKernel kernel = new FailingKernel().fail(Call.MMAP, FailingKernel.EINVAL, 0, 1);
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        SyscallException e = assertThrows(SyscallException.class, () -> mapper.mapAligned(SEGMENT, SEGMENT, SHIFT, SegmentMap.NONE));
        assertTrue(e.getMessage().endsWith("mmap failed with errno 22"), e.getMessage());
        assertNothingLeft(kernel, mapper);
        assertWorksAgain(kernel, mapper);
    }

    @Test
    void aFailedTrimOfTheHeadUnmapsTheOverMapping() {
        FailingKernel kernel = new FailingKernel().fail(Call.MUNMAP, FailingKernel.EINVAL, 0, 1);
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        SyscallException e = assertThrows(SyscallException.class, () -> mapper.mapAligned(SEGMENT, SEGMENT, SHIFT, SegmentMap.NONE));
        assertTrue(e.getMessage().contains("munmap"), e.getMessage());
        assertNothingLeft(kernel, mapper);
        assertWorksAgain(kernel, mapper);
    }

    @Test
    void aFailedTrimOfTheTailUnmapsTheRest() {
        FailingKernel kernel = new FailingKernel().fail(Call.MUNMAP, FailingKernel.EINVAL, 1, 1);
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        assertThrows(SyscallException.class, () -> mapper.mapAligned(SEGMENT, SEGMENT, SHIFT, SegmentMap.NONE));
        assertEquals(1, kernel.failures(Call.MUNMAP), "the second trim failed");
        assertNothingLeft(kernel, mapper);
        assertWorksAgain(kernel, mapper);
    }

    @Test
    void aFailedReservationOfTheTailUnmapsTheMapping() {
        FailingKernel kernel = new FailingKernel().fail(Call.MPROTECT, FailingKernel.ENOMEM, 0, 1);
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        // 8 MiB of which 8 KiB accessible: the rest is made PROT_NONE by an mprotect, which fails.
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class,
                () -> mapper.mapAligned(2 * SEGMENT, 8192, SEGMENT, SegmentMap.HUGE_START, SegmentMap.HUGE_REST));
        assertTrue(e.getMessage().contains("mprotect"), e.getMessage());
        assertEquals(0, kernel.failures(Call.MMAP_FIXED), "no mmap(MAP_FIXED) over a range of ours");
        assertNothingLeft(kernel, mapper);
        assertWorksAgain(kernel, mapper);
    }

    /** A failed commit: its bytes are not counted, the mapping stays registered, and a later commit works. */
    @Test
    void aFailedCommitUndoesItsCountAndALaterOneWorks() {
        FailingKernel kernel = new FailingKernel();
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        long accessible = 8192;
        long base = mapper.mapAligned(SEGMENT, accessible, SEGMENT, SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
        kernel.fail(Call.MPROTECT, FailingKernel.EINVAL, 0, 1);

        SyscallException e = assertThrows(SyscallException.class, () -> mapper.commit(base + accessible, 4096));
        assertTrue(e.getMessage().contains("mprotect"), e.getMessage());
        assertEquals(accessible, mapper.mappedBytes(), "the failed commit is not counted");
        assertEquals(SegmentMap.HUGE_START, mapper.map().get(base), "still registered: nothing was unmapped");
        assertEquals(0, kernel.failures(Call.MMAP_FIXED), "no mmap(MAP_FIXED) over a range of ours");
        mapper.commit(base + accessible, 4096);
        assertEquals(accessible + 4096, mapper.mappedBytes());
        assertEquals(0, Memory.getLong(base + accessible), "a committed page reads as zero");
        Memory.putLong(base + accessible + 4088, 7); // and is writable
        mapper.unmap(base, SEGMENT, accessible + 4096);
        assertEquals(0, mapper.mappedBytes());
        assertEquals(0, kernel.netMapped());
    }

    @Test
    void aFailedNewSegmentLeavesThePoolAsItWas() {
        FailingKernel kernel = new FailingKernel();
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        SegmentPool pool = new SegmentPool(mapper);
        kernel.fail(Call.MMAP, FailingKernel.ENOMEM, 0, 1);
        assertThrows(OutOfMemoryError.class, () -> pool.takePage(PageKind.SMALL));
        assertEquals(0, pool.segmentCount());
        assertEquals(0, pool.checkedFreePages());
        assertEquals(0, mapper.mappedBytes());
        long page = pool.takePage(PageKind.SMALL);
        assertEquals(SHIFT, mapper.map().get(page));
        assertEquals(1, pool.segmentCount());
        pool.close();
        assertEquals(0, kernel.netMapped());
    }

    /** No byte counted, no entry in the ownership map over what the mmap answered, nothing mapped. */
    @Test
    void aFailedUnmapLeavesTheMappingRegisteredAndCounted() {
        FailingKernel kernel = new FailingKernel();
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        long base = mapper.mapAligned(2 * SEGMENT, SEGMENT, SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
        kernel.fail(Call.MUNMAP, FailingKernel.EINVAL, 0, 1);

        assertThrows(SyscallException.class, () -> mapper.unmap(base, 2 * SEGMENT));
        assertEquals(SegmentMap.HUGE_START, mapper.map().get(base), "a failed munmap unmapped nothing: still ours");
        assertEquals(SegmentMap.HUGE_REST, mapper.map().get(base + SEGMENT));
        assertEquals(2 * SEGMENT, mapper.mappedBytes());
        mapper.unmap(base, 2 * SEGMENT); // works now
        assertEquals(SegmentMap.NONE, mapper.map().get(base));
        assertEquals(SegmentMap.NONE, mapper.map().get(base + SEGMENT));
        assertEquals(0, mapper.mappedBytes());
        assertEquals(0, kernel.netMapped());
    }

    private static void assertNothingLeft(FailingKernel kernel, Mapper mapper) {
        assertEquals(0, mapper.mappedBytes(), "mappedBytes() restored");
        assertEquals(0, kernel.netMapped(), "nothing of the attempt left mapped");
        long raw = kernel.lastMapped();
        for (long granule = raw & -SEGMENT; raw != 0 && granule < raw + 3 * SEGMENT; granule += SEGMENT) {
            assertEquals(SegmentMap.NONE, mapper.map().get(granule), "a stale map entry at 0x" + Long.toHexString(granule));
        }
    }

    private static void assertWorksAgain(FailingKernel kernel, Mapper mapper) {
        long base = mapper.mapAligned(SEGMENT, SEGMENT, SHIFT, SegmentMap.NONE);
        assertEquals(SHIFT, mapper.map().get(base));
        assertEquals(SEGMENT, mapper.mappedBytes());
        mapper.unmap(base, SEGMENT);
        assertEquals(0, kernel.netMapped());
    }
}
