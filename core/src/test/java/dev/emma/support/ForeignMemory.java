package dev.emma.support;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Native memory that is not Emma's: glibc's malloc through {@code sun.misc.Unsafe} (by reflection,
 * so the tests compile without the proprietary API; on JDK 24+ the first call prints the JDK's
 * deprecation warning unless {@code --sun-misc-unsafe-memory-access=allow}).
 */
public final class ForeignMemory {
    private static final Object UNSAFE;
    private static final Method ALLOCATE;
    private static final Method FREE;

    static {
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            UNSAFE = field.get(null);
            ALLOCATE = type.getMethod("allocateMemory", long.class);
            FREE = type.getMethod("freeMemory", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ForeignMemory() {
    }

    public static long malloc(long size) {
        try {
            return (long) ALLOCATE.invoke(UNSAFE, size);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void free(long address) {
        try {
            FREE.invoke(UNSAFE, address);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
