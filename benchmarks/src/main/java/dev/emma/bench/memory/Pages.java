package dev.emma.bench.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes into freshly allocated blocks so that they become resident, as an application's data
 * would: an allocator that hands out untouched pages must not look better on RSS than one that
 * zeroes them. One write per 4 KiB page, plus the block's last word.
 */
public final class Pages {

    public static final long PAGE = 4096;

    /** All of the address space as one segment: FFM access without bounds, for addresses we own. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private Pages() {
    }

    /** Writes {@code value} at the start of every page of the block and in its last 8 bytes. */
    public static void touch(long address, long size, long value) {
        if (size < 8) {
            ALL.set(ValueLayout.JAVA_BYTE, address, (byte) value);
            return;
        }
        for (long offset = 0; offset < size - 8; offset += PAGE) {
            ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address + offset, value);
        }
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address + size - 8, value);
    }

    /** Reads the first word of a block (to check a hand-off carried what was written). */
    public static long first(long address) {
        return ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, address);
    }
}
