package dev.emma.support;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Native memory that is not Emma's: glibc's {@code malloc}, called through an FFM downcall (what
 * {@code Unsafe.allocateMemory} ends in). {@code sun.misc.Unsafe} itself is used only where the
 * JVM runs with {@code --sun-misc-unsafe-memory-access=allow}, since on JDK 24+ its first call
 * otherwise prints a deprecation warning (and the flag does not exist on JDK 22).
 */
public final class ForeignMemory {
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        MALLOC = linker.downcallHandle(linker.defaultLookup().find("malloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
    }

    private ForeignMemory() {
    }

    public static long malloc(long size) {
        try {
            long address = (long) MALLOC.invokeExact(size);
            if (address == 0) {
                throw new OutOfMemoryError("malloc(" + size + ") returned NULL");
            }
            return address;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    public static void free(long address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** A block from {@code sun.misc.Unsafe.allocateMemory}, or 0 where using it would print a warning. */
    public static long unsafeAllocateOrZero(long size) {
        return UnsafeAccess.ALLOWED ? UnsafeAccess.call("allocateMemory", size) : 0;
    }

    public static void unsafeFree(long address) {
        if (address != 0) {
            UnsafeAccess.call("freeMemory", address);
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e);
    }

    /** By reflection, so the tests compile without the proprietary API. */
    private static final class UnsafeAccess {
        static final boolean ALLOWED = ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("--sun-misc-unsafe-memory-access=allow");

        static long call(String name, long argument) {
            try {
                Class<?> type = Class.forName("sun.misc.Unsafe");
                Field field = type.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                Method method = type.getMethod(name, long.class);
                Object result = method.invoke(field.get(null), argument);
                return result instanceof Long l ? l : 0;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
