package dev.emma.segment;

import dev.emma.memory.Memory;
import dev.emma.os.Syscalls;

/**
 * Which 4 MiB granules of the address space this instance has mapped: one byte per granule over
 * the 48-bit user address space (64 MiB of address space, mapped NORESERVE; only the bytes for
 * granules Emma used are ever touched, and untouched pages read as zero from the kernel's zero
 * page). This answers {@code owns(address)} for any 64-bit value with one load from Emma's own
 * memory: never a read of memory Emma did not map, no lock, no false answer.
 *
 * <p>Ordering: an entry is set (release) before any address in its granule is handed out, and
 * cleared before the granule is unmapped; readers load it plainly, since a valid pointer reached
 * the reader through whatever synchronisation handed it over.
 */
public final class SegmentMap {
    public static final byte NONE = 0;
    public static final byte HUGE_START = 1; // a huge mapping starts here
    public static final byte HUGE_REST = 2;  // a later granule of a huge mapping
    /**
     * A pages segment is marked with its page shift (16, 19 or 22), so a free finds its page
     * without reading the segment header: entries at or above this value are pages segments.
     */
    public static final byte PAGES_MIN = 16;

    private static final int ADDRESS_BITS = 48;
    private static final long ENTRIES = 1L << (ADDRESS_BITS - Layout.SEGMENT_SHIFT);

    private final long table;

    public SegmentMap() {
        table = Syscalls.mmap(0, ENTRIES, Syscalls.PROT_READ_WRITE, Syscalls.MAP_NORESERVE);
    }

    /** The granule's entry; NONE for any address outside the user address space. */
    public byte get(long address) {
        return get(table, address);
    }

    /**
     * {@link #get(long)} in the map whose {@link #table()} is {@code table}: a caller that keeps
     * the table address skips a load on its free path. Valid until {@link #close()}.
     */
    public static byte get(long table, long address) {
        if ((address >>> ADDRESS_BITS) != 0) {
            return NONE;
        }
        return Memory.getByte(table + (address >>> Layout.SEGMENT_SHIFT));
    }

    public long table() {
        return table;
    }

    public static boolean addressable(long address) {
        return (address >>> ADDRESS_BITS) == 0;
    }

    public void set(long base, long length, byte first, byte rest) {
        long index = base >>> Layout.SEGMENT_SHIFT;
        long granules = length >>> Layout.SEGMENT_SHIFT;
        for (long i = 1; i < granules; i++) {
            Memory.putByte(table + index + i, rest);
        }
        Memory.putByte(table + index, first);
        java.lang.invoke.VarHandle.releaseFence(); // entries visible before the memory is handed out
    }

    public void clear(long base, long length) {
        set(base, length, NONE, NONE);
    }

    public void close() {
        Syscalls.munmap(table, ENTRIES);
    }
}
