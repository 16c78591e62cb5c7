package dev.emma.os;

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
}
