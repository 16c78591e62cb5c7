package dev.emma.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The one place where Emma reads and writes raw native memory. Everything else passes addresses
 * here.
 *
 * <p>Why it is safe: every address handed to these methods lies inside a mapping that Emma made
 * itself with {@code mmap} and has not unmapped (a segment header, a page's block area, a huge
 * block, or the ownership map). Callers establish that first: a pointer from outside is checked
 * against the ownership map, which is itself Emma-mapped memory, before anything at or near it is
 * read. The view below spans the whole address space so that no {@code MemorySegment} object is
 * created per access (the hot path allocates nothing); its bounds check is trivially true for user
 * addresses and the JIT folds it.
 *
 * <p>Memory ordering: plain accessors are for data that one thread owns at a time (a thread heap's
 * pages, or data guarded by a lock). The atomic ones say at each call site why they are needed.
 */
public final class Memory {
    private Memory() {
    }

    /** A view of the entire address space; offsets into it are absolute addresses. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    // The plain accessors go through the layouts' var handles themselves, not MemorySegment.get/set,
    // which only forward to them: one frame less on every access. C2 inlines plain (not
    // @ForceInline) methods only up to MaxInlineLevel (15) frames below the method it compiles,
    // and the deepest frames of an FFM access (NativeMemorySegmentImpl.maxAlignMask,
    // Unsafe.getLongUnaligned) are plain: cut off, each access becomes calls and checks. The
    // core's fast paths keep every access within a few frames of the public method for the same
    // reason (docs/architecture.md, "Call depth").
    private static final VarHandle LONG_UNALIGNED = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
    private static final VarHandle INT_UNALIGNED = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();

    public static long getLong(long address) {
        return (long) LONG_UNALIGNED.get(ALL, address);
    }

    public static void putLong(long address, long value) {
        LONG_UNALIGNED.set(ALL, address, value);
    }

    public static int getInt(long address) {
        return (int) INT_UNALIGNED.get(ALL, address);
    }

    public static void putInt(long address, int value) {
        INT_UNALIGNED.set(ALL, address, value);
    }

    public static byte getByte(long address) {
        return (byte) BYTE.get(ALL, address);
    }

    public static void putByte(long address, byte value) {
        BYTE.set(ALL, address, value);
    }

    /** Acquire load: pairs with a release store or an atomic update made by another thread. */
    public static long getLongAcquire(long address) {
        return (long) LONG.getAcquire(ALL, address);
    }

    /** Release store: publishes the writes before it to a thread that loads with acquire. */
    public static void putLongRelease(long address, long value) {
        LONG.setRelease(ALL, address, value);
    }

    /** Full-fence compare-and-set (volatile semantics). */
    public static boolean compareAndSetLong(long address, long expected, long value) {
        return LONG.compareAndSet(ALL, address, expected, value);
    }

    /** Full-fence compare-and-exchange (volatile semantics); returns the value found. */
    public static long compareAndExchangeLong(long address, long expected, long value) {
        return (long) LONG.compareAndExchange(ALL, address, expected, value);
    }

    /** Full-fence swap (volatile semantics). */
    public static long getAndSetLong(long address, long value) {
        return (long) LONG.getAndSet(ALL, address, value);
    }

    /** Atomic add with volatile semantics; returns the previous value. */
    public static long getAndAddLong(long address, long delta) {
        return (long) LONG.getAndAdd(ALL, address, delta);
    }

    /** Atomic OR with volatile semantics; returns the previous value. */
    public static long getAndBitwiseOrLong(long address, long bits) {
        return (long) LONG.getAndBitwiseOr(ALL, address, bits);
    }

    /** Atomic AND with volatile semantics; returns the previous value. */
    public static long getAndBitwiseAndLong(long address, long bits) {
        return (long) LONG.getAndBitwiseAnd(ALL, address, bits);
    }

    /** Copies {@code bytes} bytes; the ranges may overlap. */
    public static void copy(long from, long to, long bytes) {
        MemorySegment.copy(ALL, from, ALL, to, bytes);
    }

    /** Zeros to copy from: a short range is zeroed by a copy, which needs no slice object. */
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new long[64]);

    /**
     * Sets {@code bytes} bytes to {@code value}. Up to 512 zero bytes are copied from {@link #ZEROS}
     * (a static copy, a memcpy): a slice would escape into the JDK's {@code fill} and cost a Java
     * object per call (a page emptied by every free of a 1 MiB block cleared its 512-byte bitmaps
     * that way: 13 B of heap per free); a longer range goes to the JDK's {@code fill} (memset),
     * where that object is noise.
     */
    public static void fill(long address, long bytes, byte value) {
        if (value == 0 && bytes <= ZEROS.byteSize()) {
            MemorySegment.copy(ZEROS, 0, ALL, address, bytes);
        } else {
            ALL.asSlice(address, bytes).fill(value);
        }
    }

    /** A segment over {@code [address, address + bytes)}, for APIs that take segments (syscall buffers). */
    public static MemorySegment segment(long address, long bytes) {
        return ALL.asSlice(address, bytes);
    }

    /**
     * A segment over a block handed to an FFM user, valid only while {@code scope} is alive: the
     * JDK then guarantees no access after the block is freed (EmmaArena frees after closing it).
     */
    public static MemorySegment segment(long address, long bytes, java.lang.foreign.Arena scope) {
        return MemorySegment.ofAddress(address).reinterpret(bytes, scope, null);
    }
}
