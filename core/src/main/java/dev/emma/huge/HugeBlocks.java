package dev.emma.huge;

import dev.emma.memory.Memory;
import dev.emma.os.Syscalls;
import dev.emma.segment.Layout;
import dev.emma.segment.Mapper;
import dev.emma.segment.SegmentMap;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongBinaryOperator;

/**
 * Blocks above the largest size class, each in a mapping of its own: 4 MiB aligned (so its header
 * is found by masking, like a segment's), the block at {@code base + max(4 KiB, alignment)}. Only
 * the pages the block needs are readable and writable (and counted as mapped); the rest of the
 * last 4 MiB granule stays reserved, so the ownership map never claims someone else's memory and
 * a block can grow into it in place. Freed blocks are unmapped at once; a block that outgrows its
 * granules moves with {@code mremap}, without copying.
 *
 * <p>Header fields: MAPPING_LENGTH = reserved bytes (whole granules), HUGE_USABLE = accessible
 * bytes after the block start.
 */
public final class HugeBlocks {
    private final Mapper mapper;
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong liveBlocks = new AtomicLong();
    private final AtomicLong allocations = new AtomicLong();
    /**
     * Live blocks: mapping base -> block address. The single source of truth for "is this a live
     * huge block": frees decide by removing from it before reading any header, so of two racing
     * frees only the winner touches the mapping it then unmaps. Touched once per huge block.
     */
    private final ConcurrentHashMap<Long, Long> live = new ConcurrentHashMap<>();

    public HugeBlocks(Mapper mapper) {
        this.mapper = mapper;
    }

    private static long roundUp(long value, long unit) {
        long rounded = (value + unit - 1) & -unit;
        if (rounded < value) {
            throw new OutOfMemoryError("Emma: cannot map " + value + " bytes");
        }
        return rounded;
    }

    private static final long MAX_SIZE = 1L << 46;

    private static void checkSize(long size) {
        if (size > MAX_SIZE) {
            throw new OutOfMemoryError("Emma: cannot allocate " + size + " bytes (more than the address space)");
        }
    }

    /** Maps a block of {@code size} bytes aligned to {@code alignment}; its memory is zero. */
    public long allocate(long size, long alignment) {
        checkSize(size);
        long offset = Math.max(Layout.HUGE_HEADER_SIZE, alignment);
        long accessible = roundUp(offset + size, Syscalls.PAGE_SIZE);
        long length = roundUp(accessible, Layout.SEGMENT_SIZE);
        long base = mapper.mapAligned(length, accessible, Math.max(Layout.SEGMENT_SIZE, alignment),
                SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
        Memory.putLong(base + Layout.MAPPING_LENGTH, length);
        Memory.putLong(base + Layout.HUGE_BLOCK_OFFSET, offset);
        Memory.putLong(base + Layout.HUGE_USABLE, accessible - offset);
        liveBytes.addAndGet(accessible - offset);
        liveBlocks.incrementAndGet();
        allocations.incrementAndGet();
        live.put(base, base + offset);
        return base + offset;
    }

    /**
     * The header of the huge mapping holding {@code address}, which the ownership map says is in a
     * huge mapping: its own granule's base, or (a block aligned to 4 MiB or more starts past the
     * first granule) the nearest HUGE_START granule below it.
     */
    private long headerOf(long address) {
        long base = Layout.segmentOf(address);
        while (mapper.map().get(base) == SegmentMap.HUGE_REST) {
            base -= Layout.SEGMENT_SIZE;
        }
        return base;
    }

    /** Whether {@code address} is the start of a live huge block. */
    public boolean isLive(long address) {
        Long block = live.get(headerOf(address));
        return block != null && block == address;
    }

    public long usableSize(long address) {
        return Memory.getLong(headerOf(address) + Layout.HUGE_USABLE);
    }

    /** Frees a live huge block; false if it is not one (already freed, or not a block start). */
    public boolean free(long address) {
        long base = headerOf(address);
        // Atomic remove: of two racing frees exactly one wins, and only it reads the header.
        if (!live.remove(base, address)) {
            return false;
        }
        long offset = address - base;
        long usable = Memory.getLong(base + Layout.HUGE_USABLE);
        liveBytes.addAndGet(-usable);
        liveBlocks.decrementAndGet();
        mapper.unmap(base, Memory.getLong(base + Layout.MAPPING_LENGTH), offset + usable);
        return true;
    }

    /**
     * Grows a live huge block to at least {@code newSize} bytes without copying: into its reserved
     * tail when that is enough, else by moving its pages to a new, larger aligned reservation.
     */
    public long grow(long address, long newSize) {
        checkSize(newSize);
        long base = headerOf(address);
        long offset = Memory.getLong(base + Layout.HUGE_BLOCK_OFFSET);
        long length = Memory.getLong(base + Layout.MAPPING_LENGTH);
        long accessible = offset + Memory.getLong(base + Layout.HUGE_USABLE);
        long newAccessible = roundUp(offset + newSize, Syscalls.PAGE_SIZE);
        if (newAccessible <= accessible) {
            return address;
        }
        long newBase = base;
        if (newAccessible <= length) {
            mapper.commit(base + accessible, newAccessible - accessible);
        } else {
            long newLength = roundUp(newAccessible, Layout.SEGMENT_SIZE);
            long alignment = Math.max(Layout.SEGMENT_SIZE, Long.highestOneBit(offset));
            newBase = mapper.mapAligned(newLength, newAccessible, alignment, SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
            // Moves the page tables, not the bytes; the grown part reads as zero.
            Syscalls.mremap(base, accessible, newAccessible, Syscalls.MREMAP_MAYMOVE | Syscalls.MREMAP_FIXED, newBase);
            mapper.unregister(base, length);
            if (length > accessible) {
                Syscalls.munmap(base + accessible, length - accessible); // the old reserved tail
            }
            mapper.release(accessible);
            live.remove(base);
            live.put(newBase, newBase + offset);
            Memory.putLong(newBase + Layout.MAPPING_LENGTH, newLength);
        }
        liveBytes.addAndGet(newAccessible - accessible);
        Memory.putLong(newBase + Layout.HUGE_USABLE, newAccessible - offset);
        return newBase + offset;
    }

    /** Calls {@code action(base, length)} for every live block's accessible range; returns the sum. */
    public long sumOverMappings(LongBinaryOperator action) {
        long sum = 0;
        for (long base : live.keySet()) {
            long accessible = Memory.getLong(base + Layout.HUGE_BLOCK_OFFSET) + Memory.getLong(base + Layout.HUGE_USABLE);
            sum += action.applyAsLong(base, accessible);
        }
        return sum;
    }

    /** Unmaps every live block (instance close). */
    public void close() {
        for (long base : live.keySet()) {
            long accessible = Memory.getLong(base + Layout.HUGE_BLOCK_OFFSET) + Memory.getLong(base + Layout.HUGE_USABLE);
            mapper.unmap(base, Memory.getLong(base + Layout.MAPPING_LENGTH), accessible);
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
