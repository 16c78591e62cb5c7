package dev.emma.bridge;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JDK's internal Unsafe, reached through method handles because the agent is compiled against
 * public APIs only. Usable once {@code java.base} exports {@code jdk.internal.misc} to the bootstrap
 * loader's unnamed module, which the installer does before it touches this class.
 */
final class NativeUnsafe {

    /** Zeroing in slices, as {@code java.nio.Bits} does, so that safepoints are not delayed. */
    private static final long SET_SLICE = 1L << 20;

    private static final Object UNSAFE;
    private static final MethodHandle ALLOCATE;
    private static final MethodHandle FREE;
    private static final MethodHandle SET_MEMORY;

    static {
        try {
            Class<?> type = Class.forName("jdk.internal.misc.Unsafe");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            UNSAFE = lookup.findStatic(type, "getUnsafe", MethodType.methodType(type)).invoke();
            ALLOCATE = lookup.findVirtual(type, "allocateMemory", MethodType.methodType(long.class, long.class))
                    .asType(MethodType.methodType(long.class, Object.class, long.class));
            FREE = lookup.findVirtual(type, "freeMemory", MethodType.methodType(void.class, long.class))
                    .asType(MethodType.methodType(void.class, Object.class, long.class));
            SET_MEMORY = lookup.findVirtual(type, "setMemory", MethodType.methodType(void.class, long.class, long.class, byte.class))
                    .bindTo(UNSAFE);
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NativeUnsafe() {
    }

    /** Fails (with the reason) unless the handles could be made. */
    static void ensureAvailable() {
        // the class initializer did the work
    }

    static long allocateMemory(Object unsafe, long size) {
        try {
            return (long) ALLOCATE.invokeExact(unsafe, size);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    static void freeMemory(Object unsafe, long address) {
        try {
            FREE.invokeExact(unsafe, address);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    static void setMemory(long address, long size, byte value) {
        try {
            for (long offset = 0; offset < size; offset += SET_SLICE) {
                SET_MEMORY.invokeExact(address + offset, Math.min(SET_SLICE, size - offset), value);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
