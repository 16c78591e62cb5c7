package dev.emma.huge;

import dev.emma.memory.Memory;
import dev.emma.os.Syscalls;
import dev.emma.segment.Layout;
import dev.emma.segment.Mapper;
import dev.emma.segment.SegmentMap;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongBinaryOperator;

/**
 * Blocks above the largest size class, each in a mapping of its own: 4 MiB aligned (so its header
 * is found by masking, like a segment's), the block at {@code base + max(4 KiB, alignment)}, the
 * length rounded up to whole 4 MiB granules (the tail is address space only: never touched, never
 * resident). Freed blocks are unmapped at once; reallocation moves pages with {@code mremap}
 * instead of copying them.
 */
public final class HugeBlocks {
    private final Mapper mapper;
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong liveBlocks = new AtomicLong();
    private final AtomicLong allocations = new AtomicLong();
    /** Bases of live mappings, for close() and residentBytes(); touched once per huge block, never per small one. */
    private final Set<Long> live = ConcurrentHashMap.newKeySet();

    public HugeBlocks(Mapper mapper) {
        this.mapper = mapper;
    }

    private static long mappingLength(long offset, long size) {
        long length = offset + size;
        if (length < size) { // overflow
            throw new OutOfMemoryError("Emma: cannot map " + size + " bytes");
        }
        return (length + Layout.SEGMENT_MASK) & ~Layout.SEGMENT_MASK;
    }

    /** Maps a block of {@code size} bytes aligned to {@code alignment}; its memory is zero. */
    public long allocate(long size, long alignment) {
        if (size > (1L << 46)) {
            throw new OutOfMemoryError("Emma: cannot allocate " + size + " bytes (more than the address space)");
        }
        long offset = Math.max(Layout.HUGE_HEADER_SIZE, alignment);
        long length = mappingLength(offset, size);
        long base = mapper.mapAligned(length, Math.max(Layout.SEGMENT_SIZE, alignment), SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
        Memory.putInt(base + Layout.MAGIC, Layout.MAGIC_VALUE);
        Memory.putInt(base + Layout.TYPE, Layout.TYPE_HUGE);
        Memory.putLong(base + Layout.MAPPING_LENGTH, length);
        Memory.putLong(base + Layout.HUGE_BLOCK_OFFSET, offset);
        Memory.putLong(base + Layout.HUGE_USABLE, length - offset);
        Memory.putLongRelease(base + Layout.HUGE_STATE, Layout.HUGE_LIVE);
        liveBytes.addAndGet(length - offset);
        liveBlocks.incrementAndGet();
        allocations.incrementAndGet();
        live.add(base);
        return base + offset;
    }

    /** Whether {@code address} is the start of a live huge block (its granule is a HUGE_START). */
    public static boolean isLive(long address) {
        long base = Layout.segmentOf(address);
        return address == base + Memory.getLong(base + Layout.HUGE_BLOCK_OFFSET)
                && Memory.getLongAcquire(base + Layout.HUGE_STATE) == Layout.HUGE_LIVE;
    }

    public static long usableSize(long address) {
        return Memory.getLong(Layout.segmentOf(address) + Layout.HUGE_USABLE);
    }

    /** Frees a live huge block; false if it is not one (already freed, or not a block start). */
    public boolean free(long address) {
        long base = Layout.segmentOf(address);
        if (address != base + Memory.getLong(base + Layout.HUGE_BLOCK_OFFSET)) {
            return false;
        }
        // CAS: of two racing frees exactly one unmaps.
        if (!Memory.compareAndSetLong(base + Layout.HUGE_STATE, Layout.HUGE_LIVE, Layout.HUGE_FREED)) {
            return false;
        }
        long length = Memory.getLong(base + Layout.MAPPING_LENGTH);
        liveBytes.addAndGet(-Memory.getLong(base + Layout.HUGE_USABLE));
        liveBlocks.decrementAndGet();
        live.remove(base);
        mapper.unmap(base, length);
        return true;
    }

    /**
     * Grows a live huge block to at least {@code newSize} bytes without copying: in place when the
     * address space after it is free, else by moving its pages to a new aligned mapping.
     */
    public long grow(long address, long newSize) {
        long base = Layout.segmentOf(address);
        long offset = Memory.getLong(base + Layout.HUGE_BLOCK_OFFSET);
        long oldLength = Memory.getLong(base + Layout.MAPPING_LENGTH);
        long newLength = mappingLength(offset, newSize);
        if (newLength <= oldLength) {
            return address;
        }
        long newBase;
        mapper.reserve(newLength - oldLength);
        long grown;
        try {
            grown = Syscalls.tryMremap(base, oldLength, newLength, 0, 0);
        } catch (RuntimeException | Error e) {
            mapper.release(newLength - oldLength);
            throw e;
        }
        if (grown == base) {
            mapper.map().set(base + oldLength, newLength - oldLength, SegmentMap.HUGE_REST, SegmentMap.HUGE_REST);
            newBase = base;
        } else {
            // No room after it: reserve an aligned target (registered as ours), move the pages over it.
            mapper.release(newLength - oldLength);
            long alignment = Math.max(Layout.SEGMENT_SIZE, Long.highestOneBit(offset));
            newBase = mapper.mapAligned(newLength, alignment, SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
            Syscalls.mremap(base, oldLength, newLength, Syscalls.MREMAP_MAYMOVE | Syscalls.MREMAP_FIXED, newBase);
            mapper.map().clear(base, oldLength);
            mapper.release(oldLength);
            live.remove(base);
            live.add(newBase);
        }
        long usable = newLength - offset;
        liveBytes.addAndGet(usable - Memory.getLong(newBase + Layout.HUGE_USABLE));
        Memory.putLong(newBase + Layout.MAPPING_LENGTH, newLength);
        Memory.putLong(newBase + Layout.HUGE_USABLE, usable);
        return newBase + offset;
    }

    /** Calls {@code action(base, length)} for every live mapping; returns the sum of the results. */
    public long sumOverMappings(LongBinaryOperator action) {
        long sum = 0;
        for (long base : live) {
            sum += action.applyAsLong(base, Memory.getLong(base + Layout.MAPPING_LENGTH));
        }
        return sum;
    }

    /** Unmaps every live block (instance close). */
    public void close() {
        for (long base : live) {
            mapper.unmap(base, Memory.getLong(base + Layout.MAPPING_LENGTH));
        }
        live.clear();
    }

    public long liveBytes() {
        return liveBytes.get();
    }

    public long liveBlocks() {
        return liveBlocks.get();
    }

    public long allocations() {
        return allocations.get();
    }
}
