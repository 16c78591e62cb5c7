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

    public Mapper(SegmentMap map, long maxMappedBytes) {
        this.map = map;
        this.maxMappedBytes = maxMappedBytes;
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
     * ownership map calls ours.
     */
    public long mapAligned(long length, long accessible, long alignment, byte first, byte rest) {
        reserve(accessible);
        try {
            long raw = Syscalls.mmap(0, length + alignment, Syscalls.PROT_READ_WRITE, Syscalls.MAP_NORESERVE);
            long base = (raw + alignment - 1) & -alignment;
            if (base > raw) {
                Syscalls.munmap(raw, base - raw);
            }
            long tail = raw + length + alignment - (base + length);
            if (tail > 0) {
                Syscalls.munmap(base + length, tail);
            }
            if (!SegmentMap.addressable(base + length - 1)) {
                Syscalls.munmap(base, length);
                throw new OutOfMemoryError("Emma: the kernel mapped memory above the 48-bit address space at 0x"
                        + Long.toHexString(base));
            }
            if (accessible < length) {
                Syscalls.mmap(base + accessible, length - accessible, Syscalls.PROT_NONE,
                        Syscalls.MAP_FIXED | Syscalls.MAP_NORESERVE);
            }
            map.set(base, length, first, rest);
            raisePeak(mapped.get());
            return base;
        } catch (RuntimeException | Error e) {
            mapped.addAndGet(-accessible);
            throw e;
        }
    }

    /** Counts {@code length} more mapped bytes, or throws OutOfMemoryError past the cap. */
    public void reserve(long length) {
        long now = mapped.addAndGet(length);
        if (maxMappedBytes > 0 && now > maxMappedBytes) {
            mapped.addAndGet(-length);
            throw new OutOfMemoryError("Emma: mapping " + length + " more bytes would exceed maxMappedBytes="
                    + maxMappedBytes + " (mapped now: " + (now - length) + ")");
        }
        raisePeak(now);
    }

    /** A loop, not accumulateAndGet(Math::max): a method reference is a class spun at every start. */
    private void raisePeak(long now) {
        long seen = peak.get();
        while (now > seen && !peak.compareAndSet(seen, now)) {
            seen = peak.get();
        }
    }

    public void release(long length) {
        mapped.addAndGet(-length);
    }

    /** Unregisters then unmaps. */
    public void unmap(long base, long length) {
        unmap(base, length, length);
    }

    /** Unregisters then unmaps a mapping of which {@code accessible} bytes were counted as mapped. */
    public void unmap(long base, long length, long accessible) {
        unregister(base, length);
        Syscalls.munmap(base, length);
        mapped.addAndGet(-accessible);
        purged.addAndGet(accessible);
    }

    /** Makes {@code [address, address + length)} of a reserved tail readable and writable (zero). */
    public void commit(long address, long length) {
        reserve(length);
        try {
            Syscalls.mmap(address, length, Syscalls.PROT_READ_WRITE, Syscalls.MAP_FIXED | Syscalls.MAP_NORESERVE);
        } catch (RuntimeException | Error e) {
            mapped.addAndGet(-length);
            throw e;
        }
    }

    /** First half of {@link #unmap}: from now on {@code owns} answers false for the range. */
    public void unregister(long base, long length) {
        map.clear(base, length);
    }

    /**
     * Gives a registered range's memory back to the OS but keeps its addresses: unregisters it, then
     * maps fresh zero pages over it ({@code MAP_FIXED}, {@code MAP_NORESERVE}: nothing resident,
     * nothing committed), in one step for any other thread. A thread that read the old map entry
     * just before (a free racing the unmap) reads the old bytes or zeros, never an unmapped
     * address. No longer counted as mapped; {@link #revive} maps it again, {@link #unmapRetired}
     * at close.
     */
    public void retire(long base, long length) {
        unregister(base, length);
        Syscalls.mmap(base, length, Syscalls.PROT_READ_WRITE, Syscalls.MAP_FIXED | Syscalls.MAP_NORESERVE);
        mapped.addAndGet(-length);
        purged.addAndGet(length);
    }

    /** Counts a {@link #retire retired} range as mapped again and registers it (its bytes read as zero). */
    public void revive(long base, long length, byte first, byte rest) {
        reserve(length);
        map.set(base, length, first, rest);
    }

    /** Unmaps a retired range (instance close: no free may be in flight any more). */
    public void unmapRetired(long base, long length) {
        Syscalls.munmap(base, length);
    }

    /** Gives the pages of a range back to the OS; they read as zero afterwards. */
    public void purge(long address, long length) {
        if (length > 0) {
            Syscalls.madvise(address, length, Syscalls.MADV_DONTNEED);
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
