package dev.emma.segment;

import dev.emma.os.Syscalls;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Maps and unmaps this instance's segments: 4 MiB aligned, registered in the {@link SegmentMap}
 * before use and removed from it before unmapping, and counted against {@code maxMappedBytes}.
 */
public final class Mapper {
    private final SegmentMap map;
    private final long maxMappedBytes;
    private final AtomicLong mapped = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong purged = new AtomicLong();
    private final Kernel kernel;
    /** What gives back memory kept only for reuse when the cap is reached; set once, before use. */
    private Runnable capRelief;

    public Mapper(SegmentMap map, long maxMappedBytes) {
        this(map, maxMappedBytes, Kernel.LINUX);
    }

    /** A mapper whose syscalls go through {@code kernel} (tests: failing syscalls). */
    Mapper(SegmentMap map, long maxMappedBytes, Kernel kernel) {
        this.map = map;
        this.maxMappedBytes = maxMappedBytes;
        this.kernel = kernel;
    }

    public SegmentMap map() {
        return map;
    }

    /**
     * Maps {@code length} bytes (a multiple of 4 MiB) aligned to {@code alignment} (a power of two
     * >= 4 MiB) and registers it. Over-maps by the alignment and trims both ends, so the kernel
     * never has to find an aligned hole itself.
     */
    public long mapAligned(long length, long alignment, byte first, byte rest) {
        return mapAligned(length, length, alignment, first, rest);
    }

    /**
     * Like {@link #mapAligned(long, long, byte, byte)}, but only the first {@code accessible} bytes
     * (a multiple of 4 KiB) are readable and writable and counted as mapped; the rest of the
     * granules stays reserved ({@code PROT_NONE}), so no other mapping can land in a granule the
     * ownership map calls ours. A failed step unmaps what is still mapped of the over-mapping.
     */
    public long mapAligned(long length, long accessible, long alignment, byte first, byte rest) {
        reserve(accessible);
        long base;
        try {
            base = mapRange(length, accessible, alignment);
        } catch (RuntimeException | Error e) {
            mapped.addAndGet(-accessible);
            throw e;
        }
        map.set(base, length, first, rest);
        return base;
    }

    /**
     * Maps {@code length} bytes aligned to {@code alignment}, the first {@code accessible} readable
     * and writable, the rest {@code PROT_NONE}; neither counted nor registered. Over-maps by the
     * alignment and trims both ends, so the kernel never has to find an aligned hole itself. A
     * failed step unmaps what is still mapped of the over-mapping.
     */
    private long mapRange(long length, long accessible, long alignment) {
        long start = 0; // [start, end): what is ours of the over-mapping so far
        long end = 0;
        try {
            // A mapping with a reserved tail is mapped PROT_NONE, and only its accessible part then
            // made readable and writable: a PROT_NONE private mapping carries no commit charge,
            // where vm.overcommit_memory=2 ignores MAP_NORESERVE, and the tail is never writable.
            boolean tail = accessible < length;
            long raw = kernel.mmap(0, length + alignment, tail ? Syscalls.PROT_NONE : Syscalls.PROT_READ_WRITE,
                    Syscalls.MAP_NORESERVE);
            start = raw;
            end = raw + length + alignment;
            long base = (raw + alignment - 1) & -alignment;
            if (base > raw) {
                kernel.munmap(raw, base - raw);
                start = base; // no longer ours: another mapping may land there now
            }
            if (end > base + length) {
                kernel.munmap(base + length, end - (base + length));
                end = base + length;
            }
            if (!SegmentMap.addressable(base + length - 1)) {
                throw new OutOfMemoryError("Emma: the kernel mapped memory above the 48-bit address space at 0x"
                        + Long.toHexString(base));
            }
            if (tail && accessible > 0) {
                // mprotect, not mmap(MAP_FIXED): that can fail after unmapping the range, leaving a
                // hole another mapping may take before the catch below unmaps [start, end).
                kernel.mprotect(base, accessible, Syscalls.PROT_READ_WRITE);
            }
            return base;
        } catch (RuntimeException | Error e) {
            if (end > start) {
                try {
                    kernel.munmap(start, end - start);
                } catch (RuntimeException | Error again) {
                    e.addSuppressed(again);
                }
            }
            throw e;
        }
    }

    /**
     * Sets what {@link #reserve} runs, once, when a mapping would pass maxMappedBytes: it gives back
     * mappings kept only for reuse (the instance's huge cache, wholly free segments), which count
     * as mapped; the reservation is then tried again. Set by the instance before its first mapping.
     */
    public void onCapReached(Runnable relief) {
        capRelief = relief;
    }

    /**
     * Counts {@code length} more mapped bytes, or throws OutOfMemoryError past the cap: once the
     * cap relief ({@link #onCapReached}) gave back what it could, and the bytes still do not fit.
     */
    public void reserve(long length) {
        long now = mapped.addAndGet(length);
        if (maxMappedBytes > 0 && now > maxMappedBytes) {
            now = reserveOverCap(length, now);
        }
        raisePeak(now);
    }

    /** {@link #reserve} past the cap, off its path: the relief, one more try, else the OutOfMemoryError. */
    private long reserveOverCap(long length, long now) {
        mapped.addAndGet(-length);
        Runnable relief = capRelief;
        Throwable reliefFailure = null;
        if (relief != null) {
            try {
                relief.run();
            } catch (RuntimeException | Error e) {
                reliefFailure = e; // a failed munmap or madvise: what it gave back still counts
            }
            long again = mapped.addAndGet(length);
            if (again <= maxMappedBytes) {
                return again;
            }
            mapped.addAndGet(-length);
            now = again;
        }
        OutOfMemoryError e = new OutOfMemoryError("Emma: mapping " + length + " more bytes would exceed maxMappedBytes="
                + maxMappedBytes + " (mapped now: " + (now - length) + ")");
        if (reliefFailure != null) {
            e.addSuppressed(reliefFailure);
        }
        throw e;
    }

    /** A loop, not accumulateAndGet(Math::max): a method reference is a class spun at every start. */
    private void raisePeak(long now) {
        long seen = peak.get();
        while (now > seen && !peak.compareAndSet(seen, now)) {
            seen = peak.get();
        }
    }

    /** Unregisters then unmaps. */
    public void unmap(long base, long length) {
        unmap(base, length, length);
    }

    /** Unregisters then unmaps a mapping of which {@code accessible} bytes were counted as mapped. */
    public void unmap(long base, long length, long accessible) {
        byte first = map.get(base);
        byte rest = length > Layout.SEGMENT_SIZE ? map.get(base + Layout.SEGMENT_SIZE) : SegmentMap.NONE;
        unregister(base, length);
        try {
            kernel.munmap(base, length);
        } catch (RuntimeException | Error e) {
            map.set(base, length, first, rest); // a failed munmap unmapped nothing: still ours
            throw e;
        }
        mapped.addAndGet(-accessible);
        purged.addAndGet(accessible);
    }

    /**
     * Makes {@code [address, address + length)} of a reserved tail readable and writable. Its pages
     * read as zero: a reserved tail is only ever pages that were never written (mapAligned's tail;
     * committed bytes only grow, nothing is made PROT_NONE again after use). {@code mprotect}, not
     * {@code mmap(MAP_FIXED)}, which can fail after unmapping the range: a hole inside a mapping the
     * ownership map calls ours. A failed mprotect unmaps nothing; it may have made a part readable
     * and writable, which stays uncounted and harmless (committing it again later works).
     */
    public void commit(long address, long length) {
        reserve(length);
        try {
            kernel.mprotect(address, length, Syscalls.PROT_READ_WRITE);
        } catch (RuntimeException | Error e) {
            mapped.addAndGet(-length);
            throw e;
        }
    }

    /**
     * Moves the first {@code committed} bytes of the registered mapping {@code [base, base + length)}
     * to a new reservation of {@code newLength} bytes aligned to {@code alignment}, registered with
     * {@code first} and {@code rest}, of which the first {@code newAccessible} bytes are readable and
     * writable (past {@code committed} they read as zero). Moves the page tables, not the bytes
     * ({@code mremap}), then unmaps the old mapping's reserved tail. Returns the new base.
     *
     * <p>On failure the old mapping is as it was: same address, registered and counted (a failed
     * mremap leaves the source mapped: mm/mremap.c moves the page tables back if it fails midway).
     * The new reservation is registered and counted only once the move worked, and after a failed
     * one it is left mapped, never unmapped: mremap(MREMAP_FIXED) may have unmapped it before it
     * failed (mremap_to unmaps the target before most of its checks on kernels before 6.17, and a
     * move that fails midway unmaps it on any kernel), and another thread's mapping may cover that
     * hole since; nothing tells such a mapping from ours without reading it. It is PROT_NONE: what
     * stays is address space, no memory and no commit charge.
     */
    public long move(long base, long length, long committed, long newLength, long newAccessible, long alignment,
                     byte first, byte rest) {
        // The cap is checked before anything moves, for the growth only: mremap moves the committed
        // pages, so the old and new mappings are never both mapped (counting both made a 20 MiB
        // block's growth to 25 MiB throw under a 40 MiB cap, and peakMappedBytes say 45 MiB).
        long growth = newAccessible - committed;
        reserve(growth);
        long newBase;
        try {
            newBase = mapRange(newLength, 0, alignment);
        } catch (RuntimeException | Error e) {
            mapped.addAndGet(-growth);
            throw e;
        }
        byte oldFirst = map.get(base);
        byte oldRest = length > Layout.SEGMENT_SIZE ? map.get(base + Layout.SEGMENT_SIZE) : SegmentMap.NONE;
        // Unregistered first: once moved, [base, base + committed) is a hole another mapping may take.
        unregister(base, length);
        try {
            // Onto the whole reservation, then its tail PROT_NONE again: one VMA split by mprotect,
            // so a later commit merges back into it. Moved onto newAccessible bytes only, the
            // reservation's tail would stay a VMA of its own (its page offset does not follow the
            // moved one's), a commit into it a second VMA, and the next move of [base, committed)
            // would fail with EFAULT (mremap moves one VMA).
            kernel.mremap(base, committed, newLength, Syscalls.MREMAP_MAYMOVE | Syscalls.MREMAP_FIXED, newBase);
        } catch (RuntimeException | Error e) {
            map.set(base, length, oldFirst, oldRest);
            mapped.addAndGet(-growth);
            throw e;
        }
        map.set(newBase, newLength, first, rest);
        // Past this point nothing throws: the block has moved, and an exception would lose it.
        if (newLength > newAccessible) {
            try {
                // The moved VMA keeps the commit charge of this tail under vm.overcommit_memory=2
                // (mprotect_fixup drops it only for a VMA without an anon_vma): up to a granule per
                // moved block more than mappedBytes there.
                kernel.mprotect(newBase + newAccessible, newLength - newAccessible, Syscalls.PROT_NONE);
            } catch (RuntimeException | Error e) {
                // Stays readable and writable, uncounted until committed: still ours, never written.
            }
        }
        if (length > committed) {
            try {
                kernel.munmap(base + committed, length - committed);
            } catch (RuntimeException | Error e) {
                // What stays is PROT_NONE address space, unregistered and uncounted.
            }
        }
        return newBase;
    }

    /** First half of {@link #unmap}: from now on {@code owns} answers false for the range. */
    public void unregister(long base, long length) {
        map.clear(base, length);
    }

    /**
     * Gives a registered range's memory back to the OS but keeps its addresses: unregisters it, then
     * {@code madvise(MADV_DONTNEED)}s it (private anonymous memory: it reads as zero afterwards, and
     * nothing is resident). A thread that read the old map entry just before (a free racing the
     * retire) reads the old bytes or zeros, never an unmapped address: madvise never unmaps, not
     * even when it fails. No longer counted as mapped; {@link #revive} registers it again,
     * {@link #unmapRetired} at close.
     *
     * <p>If the madvise fails, the range stays mapped and counted but unregistered, and may be zero
     * in part (the kernel stops at the first mapping it refuses, e.g. pages the application locked):
     * the caller makes it right and {@link #register}s it again. An {@code mmap(MAP_FIXED)} over
     * the range, as this did until 2026-11-29, could fail after unmapping it and leave a hole that
     * another mapping of this instance might then take.
     */
    public void retire(long base, long length) {
        unregister(base, length);
        kernel.madvise(base, length, Syscalls.MADV_DONTNEED);
        mapped.addAndGet(-length);
        purged.addAndGet(length);
    }

    /** Registers a range again whose {@link #retire} failed (it is still mapped and counted). */
    public void register(long base, long length, byte first, byte rest) {
        map.set(base, length, first, rest);
    }

    /** Counts a {@link #retire retired} range as mapped again and registers it (its bytes read as zero). */
    public void revive(long base, long length, byte first, byte rest) {
        reserve(length);
        map.set(base, length, first, rest);
    }

    /** Unmaps a retired range (instance close: no free may be in flight any more). */
    public void unmapRetired(long base, long length) {
        kernel.munmap(base, length);
    }

    /** Gives the pages of a range back to the OS; they read as zero afterwards. */
    public void purge(long address, long length) {
        if (length > 0) {
            kernel.madvise(address, length, Syscalls.MADV_DONTNEED);
            purged.addAndGet(length);
        }
    }

    public long mappedBytes() {
        return mapped.get();
    }

    public long peakMappedBytes() {
        return peak.get();
    }

    public long purgedBytes() {
        return purged.get();
    }
}
