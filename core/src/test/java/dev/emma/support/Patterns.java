package dev.emma.support;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Raw access to blocks for tests, through FFM (the same restricted {@code reinterpret} the core
 * uses; the tests run with native access enabled).
 *
 * <p>A pattern is keyed: the byte at offset {@code o} is byte {@code o % 8} (little-endian) of
 * {@code mix(key + (o & ~7))}. Keying by the block address makes every block's contents unique, so
 * an overlapping block or a stray write shows up as a mismatch; keying by a tag lets contents
 * survive a move ({@code reallocate}). Words and bytes agree, so any prefix can be checked.
 */
public final class Patterns {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Patterns() {
    }

    public static MemorySegment segment(long address, long size) {
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    /** A 64-bit mixer (SplitMix64's finaliser): neighbouring keys give unrelated words. */
    public static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }

    private static byte patternByte(long key, long offset) {
        return (byte) (mix(key + (offset & ~7L)) >>> (8 * (offset & 7)));
    }

    /** Writes the pattern of {@code key} over the first {@code size} bytes at {@code address}. */
    public static void fill(long address, long size, long key) {
        MemorySegment s = segment(address, size);
        long words = size & ~7L;
        for (long o = 0; o < words; o += 8) {
            s.set(WORD, o, mix(key + o));
        }
        for (long o = words; o < size; o++) {
            s.set(ValueLayout.JAVA_BYTE, o, patternByte(key, o));
        }
    }

    /**
     * The first offset in {@code [0, size)} whose byte differs from the pattern of {@code key}, or
     * -1 if all match.
     */
    public static long firstMismatch(long address, long size, long key) {
        MemorySegment s = segment(address, size);
        long words = size & ~7L;
        for (long o = 0; o < words; o += 8) {
            if (s.get(WORD, o) != mix(key + o)) {
                for (long b = o; b < o + 8; b++) {
                    if (s.get(ValueLayout.JAVA_BYTE, b) != patternByte(key, b)) {
                        return b;
                    }
                }
            }
        }
        for (long o = words; o < size; o++) {
            if (s.get(ValueLayout.JAVA_BYTE, o) != patternByte(key, o)) {
                return o;
            }
        }
        return -1;
    }

    /** The first non-zero byte's offset in {@code [0, size)}, or -1. */
    public static long firstNonZero(long address, long size) {
        MemorySegment s = segment(address, size);
        long words = size & ~7L;
        for (long o = 0; o < words; o += 8) {
            if (s.get(WORD, o) != 0) {
                for (long b = o; ; b++) {
                    if (s.get(ValueLayout.JAVA_BYTE, b) != 0) {
                        return b;
                    }
                }
            }
        }
        for (long o = words; o < size; o++) {
            if (s.get(ValueLayout.JAVA_BYTE, o) != 0) {
                return o;
            }
        }
        return -1;
    }

    /** Sets every byte of {@code [address, address + size)} to {@code value}. */
    public static void fillBytes(long address, long size, byte value) {
        segment(address, size).fill(value);
    }

    public static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }
}
