package dev.emma.segment;

import dev.emma.os.Syscalls;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Kernel} whose chosen calls fail (tests). A failing call makes a real syscall fail the
 * same way instead ({@link #provoke}), so the caller gets what {@link Syscalls} throws for that
 * errno: an OutOfMemoryError for ENOMEM, a SyscallException otherwise. Public, with {@link #mapper},
 * for tests outside this package.
 */
public final class FailingKernel extends Kernel {
    public static final int EINVAL = 22;
    public static final int ENOMEM = Syscalls.ENOMEM;

    public enum Call { MMAP, MMAP_FIXED, MUNMAP, MADVISE, MPROTECT, MREMAP }

    private final int[] skip = new int[Call.values().length];
    private final int[] toFail = new int[Call.values().length];
    private final int[] errno = new int[Call.values().length];
    private final int[] failures = new int[Call.values().length];
    private long zeroedFirst;    // a failing madvise returns the first bytes of its range first
    private long failingAddress; // every madvise of a range starting here fails (EINVAL)
    private boolean unmapTargetFirst; // a failing mremap first unmaps its target, as the kernel may
    private long foreignPage;         // ... and then another mapping takes the target's first page
    private long netMapped; // bytes mapped by mmap without MAP_FIXED, less those unmapped
    private long lastMapped;
    private Runnable afterMremap;
    private boolean keepUnmapped;   // munmap poisons the range's first page and keeps it mapped
    private final List<long[]> kept = new ArrayList<>();
    private int mmaps;
    private final List<Long> madvised = new ArrayList<>();
    private final List<Long> unmapped = new ArrayList<>();

    /** A mapper (and map) whose syscalls go through {@code kernel}. */
    public static Mapper mapper(FailingKernel kernel, long maxMappedBytes) {
        return new Mapper(new SegmentMap(), maxMappedBytes, kernel);
    }

    /** After {@code skip} more calls of {@code call} succeed, the next {@code times} fail with {@code errno}. */
    public synchronized FailingKernel fail(Call call, int errno, int skip, int times) {
        if ((call == Call.MUNMAP || call == Call.MREMAP) && errno != EINVAL) {
            throw new IllegalArgumentException(call + " fails with EINVAL only here");
        }
        this.skip[call.ordinal()] = skip;
        this.toFail[call.ordinal()] = times;
        this.errno[call.ordinal()] = errno;
        return this;
    }

    /**
     * A failing madvise first returns the first {@code bytes} of its range to the OS, as the kernel
     * does when it stops at a mapping in the range that it refuses (pages the application locked).
     */
    public synchronized FailingKernel zeroingFirst(long bytes) {
        zeroedFirst = bytes;
        return this;
    }

    /** Every madvise of a range that starts at {@code address} fails with EINVAL, until {@link #heal}. */
    public synchronized FailingKernel failingMadviseAt(long address) {
        failingAddress = address;
        errno[Call.MADVISE.ordinal()] = EINVAL;
        return this;
    }

    /**
     * A failing mremap first unmaps its target, as the kernel does when it fails after its
     * do_munmap of the target; with {@code foreign}, another thread's mmap then takes the first
     * page of the hole (see {@link #foreignPage}).
     */
    public synchronized FailingKernel unmappingTheTargetFirst(boolean foreign) {
        unmapTargetFirst = true;
        foreignPage = foreign ? -1 : 0;
        return this;
    }

    /** Runs {@code hook} right after each mremap that worked (the source is a hole by then). */
    public synchronized FailingKernel afterMremap(Runnable hook) {
        afterMremap = hook;
        return this;
    }

    /** The page a failing mremap let another mapping take (0 if none); the test unmaps it. */
    public synchronized long foreignPage() {
        return foreignPage > 0 ? foreignPage : 0;
    }

    /** The byte {@link #keepingUnmappedRanges} fills the first page of an "unmapped" range with. */
    public static final byte POISON = 0x5A;

    /**
     * From now on munmap fills the first page of its range with {@link #POISON} and keeps the range
     * mapped, as if unmapped (for the caller, and in {@link #unmapped}), until {@link #unmapKept}:
     * a read of it that a real munmap would make a SIGSEGV reads poison instead. The first page
     * must be readable and writable (a huge mapping's header page is).
     */
    public synchronized FailingKernel keepingUnmappedRanges() {
        keepUnmapped = true;
        return this;
    }

    /** Really unmaps the ranges kept by {@link #keepingUnmappedRanges}, and stops keeping them. */
    public synchronized void unmapKept() {
        keepUnmapped = false;
        for (long[] range : kept) {
            super.munmap(range[0], range[1]);
            netMapped -= range[1];
        }
        kept.clear();
    }

    /** No call fails from now on. */
    public synchronized void heal() {
        java.util.Arrays.fill(toFail, 0);
        failingAddress = 0;
    }

    public synchronized int failures(Call call) {
        return failures[call.ordinal()];
    }

    public synchronized long netMapped() {
        return netMapped;
    }

    /** The address the last mmap without MAP_FIXED answered (0 if none); never segment-aligned. */
    public synchronized long lastMapped() {
        return lastMapped;
    }

    /** The number of mmap calls without MAP_FIXED that succeeded. */
    public synchronized int mmaps() {
        return mmaps;
    }

    /** Addresses of the madvise calls that succeeded, in order. */
    public synchronized List<Long> madvised() {
        return new ArrayList<>(madvised);
    }

    /** Addresses of the munmap calls that succeeded, in order. */
    public synchronized List<Long> unmapped() {
        return new ArrayList<>(unmapped);
    }

    @Override
    synchronized long mmap(long hint, long length, int prot, int flags) {
        boolean fixed = (flags & Syscalls.MAP_FIXED) != 0;
        Call call = fixed ? Call.MMAP_FIXED : Call.MMAP;
        if (failsNow(call)) {
            provoke(call);
        }
        if (fixed) {
            return super.mmap(hint, length, prot, flags);
        }
        long address = notAligned(length, prot, flags);
        netMapped += length;
        lastMapped = address;
        mmaps++;
        return address;
    }

    /**
     * {@code length} bytes mapped at an address not aligned to a segment, so that mapAligned always
     * trims a head and a tail (the kernel's own answer is aligned now and then).
     */
    private long notAligned(long length, int prot, int flags) {
        long page = Syscalls.PAGE_SIZE;
        long address = super.mmap(0, length + page, prot, flags);
        if ((address & (Layout.SEGMENT_SIZE - 1)) == 0) {
            super.munmap(address, page);
            return address + page;
        }
        super.munmap(address + length, page);
        return address;
    }

    @Override
    synchronized void munmap(long address, long length) {
        if (failsNow(Call.MUNMAP)) {
            provoke(Call.MUNMAP);
        }
        if (keepUnmapped) {
            dev.emma.memory.Memory.fill(address, Syscalls.PAGE_SIZE, POISON);
            kept.add(new long[] {address, length});
            unmapped.add(address);
            return;
        }
        super.munmap(address, length);
        netMapped -= length;
        unmapped.add(address);
    }

    @Override
    synchronized void madvise(long address, long length, int advice) {
        if (address == failingAddress || failsNow(Call.MADVISE)) {
            if (zeroedFirst > 0) {
                super.madvise(address, Math.min(zeroedFirst, length), advice);
            }
            provoke(Call.MADVISE);
        }
        super.madvise(address, length, advice);
        madvised.add(address);
    }

    @Override
    synchronized void mprotect(long address, long length, int prot) {
        if (failsNow(Call.MPROTECT)) {
            provoke(Call.MPROTECT);
        }
        super.mprotect(address, length, prot);
    }

    @Override
    synchronized long mremap(long address, long oldLength, long newLength, int flags, long target) {
        if (failsNow(Call.MREMAP)) {
            if (unmapTargetFirst) {
                super.munmap(target, newLength);
                netMapped -= newLength;
                if (foreignPage == -1) {
                    foreignPage = super.mmap(target, Syscalls.PAGE_SIZE, Syscalls.PROT_READ_WRITE, Syscalls.MAP_FIXED);
                }
            }
            provoke(Call.MREMAP);
        }
        long moved = super.mremap(address, oldLength, newLength, flags, target);
        netMapped -= oldLength; // the source is gone; the target was counted with its reservation
        if (afterMremap != null) {
            afterMremap.run();
        }
        return moved;
    }

    private boolean failsNow(Call call) {
        int i = call.ordinal();
        if (toFail[i] == 0) {
            return false;
        }
        if (skip[i] > 0) {
            skip[i]--;
            return false;
        }
        toFail[i]--;
        failures[i]++;
        return true;
    }

    /** Makes the real syscall fail with the chosen errno; throws what Syscalls throws for it. */
    private void provoke(Call call) {
        boolean enomem = errno[call.ordinal()] == ENOMEM;
        switch (call) {
            // 2^60 bytes: more than any address space (ENOMEM); 0 bytes: EINVAL
            case MMAP, MMAP_FIXED -> Syscalls.mmap(0, enomem ? 1L << 60 : 0, Syscalls.PROT_NONE, Syscalls.MAP_NORESERVE);
            case MUNMAP -> Syscalls.munmap(1, Syscalls.PAGE_SIZE); // not page-aligned: EINVAL
            // page 0 is never mapped (ENOMEM); address 1 is not page-aligned (EINVAL)
            case MADVISE -> Syscalls.madvise(enomem ? 0 : 1, Syscalls.PAGE_SIZE, Syscalls.MADV_DONTNEED);
            case MPROTECT -> Syscalls.mprotect(enomem ? 0 : 1, Syscalls.PAGE_SIZE, Syscalls.PROT_NONE);
            case MREMAP -> Syscalls.mremap(1, Syscalls.PAGE_SIZE, Syscalls.PAGE_SIZE, 0, 0); // not page-aligned: EINVAL
        }
        throw new AssertionError(call + " was expected to fail");
    }
}
