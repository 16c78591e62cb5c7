package dev.emma.it.app;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/** Content checks and explicit frees for the scenarios. */
final class Memory {

    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private Memory() {
    }

    static sun.misc.Unsafe unsafe() {
        if (UNSAFE != null) {
            return UNSAFE;
        }
        try {
            Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (sun.misc.Unsafe) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static void free(ByteBuffer direct) {
        UNSAFE.invokeCleaner(direct);
    }

    static void checkZero(ByteBuffer buffer, String what) {
        int size = buffer.capacity();
        int i = 0;
        for (; i + 8 <= size; i += 8) {
            if (buffer.getLong(i) != 0) {
                throw new AssertionError(what + ": not zero at " + i);
            }
        }
        for (; i < size; i++) {
            if (buffer.get(i) != 0) {
                throw new AssertionError(what + ": not zero at " + i);
            }
        }
    }

    /** A pattern that differs per position and per seed. */
    static void fill(ByteBuffer buffer, int seed) {
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) (i * 31 + seed));
        }
    }

    static void fillWith(ByteBuffer buffer, byte value) {
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, value);
        }
    }

    static void checkFilled(ByteBuffer buffer, int seed, String what) {
        for (int i = 0; i < buffer.capacity(); i++) {
            if (buffer.get(i) != (byte) (i * 31 + seed)) {
                throw new AssertionError(what + ": wrong byte at " + i);
            }
        }
    }

    static void fill(long address, long size, int seed) {
        for (long i = 0; i < size; i++) {
            UNSAFE.putByte(address + i, (byte) (i * 31 + seed));
        }
    }

    static void checkFilled(long address, long size, int seed, String what) {
        for (long i = 0; i < size; i++) {
            if (UNSAFE.getByte(address + i) != (byte) (i * 31 + seed)) {
                throw new AssertionError(what + ": wrong byte at " + i);
            }
        }
    }
}
