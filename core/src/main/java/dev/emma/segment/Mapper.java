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
        reserve(length);
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
            map.set(base, length, first, rest);
            return base;
        } catch (RuntimeException | Error e) {
            mapped.addAndGet(-length);
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
        peak.accumulateAndGet(now, Math::max);
    }

    public void release(long length) {
        mapped.addAndGet(-length);
    }

    /** Unregisters then unmaps. */
    public void unmap(long base, long length) {
        unregister(base, length);
        unmapRegistered(base, length);
    }

    /** First half of {@link #unmap}: from now on {@code owns} answers false for the range. */
    public void unregister(long base, long length) {
        map.clear(base, length);
    }

    /** Second half of {@link #unmap}, once no reader can still be acting on the old map entry. */
    public void unmapRegistered(long base, long length) {
        Syscalls.munmap(base, length);
        mapped.addAndGet(-length);
        purged.addAndGet(length);
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
