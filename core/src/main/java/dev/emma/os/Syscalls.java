package dev.emma.os;

import dev.emma.memory.Memory;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Raw Linux syscalls through libc's {@code syscall(long number, ...)} symbol, bound with FFM. Emma
 * calls nothing else in libc: no {@code malloc}, no {@code mmap} wrapper.
 *
 * <p>A call binds {@code syscall} without errno capture: binding it a second time, with capture,
 * costs about 0.6 MiB of Java heap (resident from then on) and a page, for what only a failure
 * needs. A call that fails (answers -1) is therefore made again through {@link ErrnoCapture},
 * bound at the first failure, which learns its errno. Repeating is safe for every call here but
 * mremap: a failed mmap (Emma never maps with MAP_FIXED), munmap or mincore leaves the mappings as
 * they were, a failed madvise or mprotect may have done part of its range, which a repeat does
 * again, and a repeat that succeeds is an answer as good as the first. A failed mremap(MREMAP_FIXED) may have
 * unmapped its target, and another thread's mmap may take that hole before a repeat, which would
 * unmap it again: mremap is made once, with errno capture (its first call binds it).
 *
 * <p>Syscalls are rare (segment map/unmap, purge), never on the allocation hot path.
 */
public final class Syscalls {
    private Syscalls() {
    }

    public static final int PROT_NONE = 0;
    public static final int PROT_READ_WRITE = 0x1 | 0x2;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MADV_DONTNEED = 4;
    public static final int MREMAP_MAYMOVE = 1;
    public static final int MREMAP_FIXED = 2;
    public static final int ENOMEM = 12;
    public static final long PAGE_SIZE = 4096;

    private static final SyscallTable TABLE = SyscallTable.current();

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemorySegment SYMBOL;
    private static final FunctionDescriptor SEVEN_LONGS = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final MethodHandle SYSCALL;           // (nr, a1..a6) -> long
    // Set by ErrnoCapture's initialiser; read by tests only. Volatile: a test thread reads what
    // another thread's failed call set (reading ErrnoCapture's own field would initialise it).
    private static volatile boolean errnoCaptureBound;

    static {
        Optional<MemorySegment> found = LINKER.defaultLookup().find("syscall");
        if (found.isEmpty()) { // no orElseThrow(supplier): a lambda is a class spun at every start
            throw new UnsupportedOperationException("libc has no 'syscall' symbol");
        }
        SYMBOL = found.get();
        SYSCALL = LINKER.downcallHandle(SYMBOL, SEVEN_LONGS, variadic());
    }

    private static Linker.Option variadic() {
        return Linker.Option.firstVariadicArg(1); // syscall(long number, ...)
    }

    /** Whether a failed call has bound {@code syscall} with errno capture yet (tests: it is lazy). */
    static boolean errnoCaptureBound() {
        return errnoCaptureBound;
    }

    /**
     * The binding with errno capture, made when the first call fails. errno is captured by the
     * linker ({@code captureCallState("errno")}) into a page that Emma mapped itself, so reading it
     * never allocates through an allocator Emma may be replacing. The page holds
     * {@value #ERRNO_SLOTS} slots handed out round-robin; two calls would have to be in flight
     * {@value #ERRNO_SLOTS} apart to share one, which only garbles an error message.
     */
    private static final class ErrnoCapture {
        private static final int ERRNO_SLOTS = 64;
        private static final MethodHandle SYSCALL_ERRNO; // (capture, nr, a1..a6) -> long
        private static final long ERRNO_OFFSET;
        private static final long ERRNO_STRIDE;
        private static final long ERRNO_PAGE;
        private static final AtomicInteger NEXT_ERRNO_SLOT = new AtomicInteger();

        static {
            SYSCALL_ERRNO = LINKER.downcallHandle(SYMBOL, SEVEN_LONGS, variadic(), Linker.Option.captureCallState("errno"));
            MemoryLayout state = Linker.Option.captureStateLayout();
            ERRNO_OFFSET = errnoOffset((StructLayout) state);
            ERRNO_STRIDE = (state.byteSize() + 15) & ~15L;
            // The errno page itself is mapped without errno capture: the one call that cannot report why it failed.
            long page = invoke(TABLE.mmap(), 0, PAGE_SIZE, PROT_READ_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (page == -1) {
                throw new OutOfMemoryError("Emma: mmap of its 4 KiB errno page failed");
            }
            ERRNO_PAGE = page;
            errnoCaptureBound = true;
        }

        /** Calls the syscall with errno capture; returns its result, or {@code -errno} when it failed. */
        static long call(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
            long slot = ERRNO_PAGE + (NEXT_ERRNO_SLOT.getAndIncrement() & (ERRNO_SLOTS - 1)) * ERRNO_STRIDE;
            long result;
            try {
                result = (long) SYSCALL_ERRNO.invokeExact(Memory.segment(slot, ERRNO_STRIDE), nr, a1, a2, a3, a4, a5, a6);
            } catch (Throwable t) {
                throw new IllegalStateException("syscall " + nr + " could not be invoked", t);
            }
            return result == -1 ? -Memory.getInt(slot + ERRNO_OFFSET) : result;
        }
    }

    /**
     * The offset of {@code errno} in the capture state, by walking its members: what
     * {@code byteOffset(PathElement.groupElement("errno"))} answers, without the layout-path
     * machinery that costs some 300 KiB of heap at Emma's start.
     */
    static long errnoOffset(StructLayout state) {
        long offset = 0;
        for (MemoryLayout member : state.memberLayouts()) {
            if ("errno".equals(member.name().orElse(null))) { // no lambda: spinning one costs more than the path
                return offset;
            }
            offset += member.byteSize();
        }
        throw new IllegalStateException("the linker's capture state has no errno: " + state);
    }

    /** Maps {@code length} bytes of private anonymous memory; fresh pages read as zero. */
    public static long mmap(long hint, long length, int prot, int flags) {
        return check("mmap", call(TABLE.mmap(), hint, length, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), length);
    }

    public static void munmap(long address, long length) {
        check("munmap", call(TABLE.munmap(), address, length, 0, 0, 0, 0), length);
    }

    /** Moves or resizes a mapping without copying its pages; {@code target} is used with MREMAP_FIXED. */
    public static long mremap(long address, long oldLength, long newLength, int flags, long target) {
        return check("mremap", ErrnoCapture.call(TABLE.mremap(), address, oldLength, newLength, flags, target, 0), newLength);
    }

    /**
     * Changes the protection of {@code [address, address + length)}. Never unmaps: a failure leaves
     * the pages mapped, with the old protection or (it stops at the first mapping it fails on) the
     * new one up to there.
     */
    public static void mprotect(long address, long length, int prot) {
        check("mprotect", call(TABLE.mprotect(), address, length, prot, 0, 0, 0), length);
    }

    public static void madvise(long address, long length, int advice) {
        check("madvise", call(TABLE.madvise(), address, length, advice, 0, 0, 0), length);
    }

    /** Fills {@code vector} (one byte per 4 KiB page, bit 0 = resident) for {@code [address, address+length)}. */
    public static void mincore(long address, long length, long vector) {
        check("mincore", call(TABLE.mincore(), address, length, vector, 0, 0, 0), length);
    }

    /** {@link #mincore}, or false, with {@code vector} untouched, if part of the range is not mapped (ENOMEM). */
    public static boolean mincoreIfMapped(long address, long length, long vector) {
        long result = call(TABLE.mincore(), address, length, vector, 0, 0, 0);
        if (result == -ENOMEM) {
            return false;
        }
        check("mincore", result, length);
        return true;
    }

    /**
     * Calls the syscall; returns its result, or {@code -errno} when it failed: a failed call is
     * made again with errno capture (see the class comment for why repeating is safe).
     */
    private static long call(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        long result = invoke(nr, a1, a2, a3, a4, a5, a6);
        return result == -1 ? ErrnoCapture.call(nr, a1, a2, a3, a4, a5, a6) : result;
    }

    private static long check(String op, long result, long length) {
        if (result < 0 && result > -4096) {
            int errno = (int) -result;
            if (errno == ENOMEM) {
                throw new OutOfMemoryError("Emma: " + op + " of " + length + " bytes failed: ENOMEM (errno 12)");
            }
            throw new SyscallException(op, errno);
        }
        return result;
    }

    private static long invoke(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return (long) SYSCALL.invokeExact(nr, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw new IllegalStateException("syscall " + nr + " could not be invoked", t);
        }
    }
}
