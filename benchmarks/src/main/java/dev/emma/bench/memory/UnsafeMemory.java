package dev.emma.bench.memory;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import sun.misc.Unsafe;

/**
 * {@code sun.misc.Unsafe.allocateMemory/reallocateMemory/freeMemory}: the route Netty, Arrow and
 * older libraries take. It ends in libc {@code malloc} (or whatever {@code LD_PRELOAD} put there),
 * or in Emma when the agent is installed. Needs {@code --sun-misc-unsafe-memory-access=allow} on
 * JDK 24+ to run without a warning.
 */
public final class UnsafeMemory implements NativeMemory {

    static final Unsafe UNSAFE = findUnsafe();

    @Override
    public long allocate(long size) {
        return UNSAFE.allocateMemory(size);
    }

    @Override
    public long reallocate(long address, long newSize) {
        return UNSAFE.reallocateMemory(address, newSize);
    }

    @Override
    public void free(long address) {
        UNSAFE.freeMemory(address);
    }

    /** Frees a direct buffer now, as Netty and Lucene do, instead of waiting for the GC. */
    public static void freeDirect(ByteBuffer buffer) {
        UNSAFE.invokeCleaner(buffer);
    }

    private static Unsafe findUnsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.misc.Unsafe is not available", e);
        }
    }
}
