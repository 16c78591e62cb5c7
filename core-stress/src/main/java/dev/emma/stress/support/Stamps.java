package dev.emma.stress.support;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Marks a block as its holder's: a word derived from the address at its first and its last 8 bytes.
 * A block handed out twice, or purged or unmapped while live, loses its stamp (or faults), and a
 * moved block must carry its stamp along. The only raw memory access of this module.
 */
public final class Stamps {
    private Stamps() {
    }

    // Every address, as one segment: safe only for addresses of live blocks of at least 16 bytes,
    // which is all this class is given (the tests hold them from allocate until they free them).
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final long MIX = 0x5DEECE66DL;

    /** What {@code address} carries when it is stamped: never 0 and never a plausible address. */
    public static long of(long address) {
        return ~address ^ MIX;
    }

    public static void stamp(long address, long usable) {
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, of(address));
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address + usable - 8, of(address));
    }

    /** Whether the block at {@code address} still carries the stamp {@link #stamp} gave it. */
    public static boolean intact(long address, long usable) {
        return first(address) == of(address)
                && ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, address + usable - 8) == of(address);
    }

    /** The first word of a block (a moved block's first word is its old address' stamp). */
    public static long first(long address) {
        return ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, address);
    }
}
