package dev.emma.os;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A failed syscall reports its own errno: calls are bound without errno capture and a failure is
 * made again through the capturing binding, which must answer the errno of that failure.
 */
class SyscallErrnoTest {

    @Test
    void aFailedCallReportsItsErrno() {
        // munmap of an address that is not page-aligned: EINVAL (22), and nothing is unmapped.
        SyscallException e = assertThrows(SyscallException.class, () -> Syscalls.munmap(1, Syscalls.PAGE_SIZE));
        assertTrue(e.getMessage().endsWith("munmap failed with errno 22"), e.getMessage());
        assertTrue(Syscalls.errnoCaptureBound(), "a failure binds errno capture");
    }

    @Test
    void enomemIsAnOutOfMemoryError() {
        // 2^60 bytes exceed any address space a process has: ENOMEM.
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class,
                () -> Syscalls.mmap(0, 1L << 60, Syscalls.PROT_NONE, Syscalls.MAP_NORESERVE));
        assertTrue(e.getMessage().contains("ENOMEM"), e.getMessage());
    }

    @Test
    void callsAfterAFailureStillSucceed() {
        assertThrows(SyscallException.class, () -> Syscalls.munmap(1, Syscalls.PAGE_SIZE));
        long base = Syscalls.mmap(0, Syscalls.PAGE_SIZE, Syscalls.PROT_READ_WRITE, 0);
        assertTrue(base > 0 && base % Syscalls.PAGE_SIZE == 0, "mmap answered " + base);
        Syscalls.madvise(base, Syscalls.PAGE_SIZE, Syscalls.MADV_DONTNEED);
        Syscalls.munmap(base, Syscalls.PAGE_SIZE);
    }

    @Test
    void mincoreOfAnUnmappedRangeAnswersFalseInsteadOfThrowing() {
        // What a resident-pages reading meets when a huge block it listed was unmapped since.
        long base = Syscalls.mmap(0, 2 * Syscalls.PAGE_SIZE, Syscalls.PROT_READ_WRITE, 0);
        long vector = base + Syscalls.PAGE_SIZE; // mincore writes one byte per page here
        dev.emma.memory.Memory.putByte(base, (byte) 1);
        assertTrue(Syscalls.mincoreIfMapped(base, Syscalls.PAGE_SIZE, vector));
        assertTrue((dev.emma.memory.Memory.getByte(vector) & 1) == 1, "the written page is resident");
        Syscalls.munmap(base, Syscalls.PAGE_SIZE);
        assertFalse(Syscalls.mincoreIfMapped(base, Syscalls.PAGE_SIZE, vector));
        Syscalls.munmap(vector, Syscalls.PAGE_SIZE);
    }
}
