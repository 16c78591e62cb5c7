package dev.emma.bridge.linker;

import dev.emma.bridge.Bridge;
import dev.emma.bridge.Router;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * What a routed libc downcall runs instead of the C function. Each method gets the original
 * downcall (adapted to {@code long}s) first, and calls it for everything Emma does not serve: an
 * address Emma does not own, a request Emma refuses, an argument it does not handle (libc's own
 * answer, its {@code errno} included, is then the caller's).
 *
 * <p>The {@code scoped} methods serve callers in scope (Emma may hand out memory); the
 * {@code counted} ones callers out of scope (memory stays libc's, and is counted as uncovered).
 */
final class RoutedCalls {

    private RoutedCalls() {
    }

    static long malloc(MethodHandle original, long size) throws Throwable {
        Router router = Bridge.router();
        long address = router.linkerAllocate(size, 0, false);
        if (address != 0) {
            return address;
        }
        address = (long) original.invokeExact(size);
        router.linkerAllocatedNatively(address, size);
        return address;
    }

    static long calloc(MethodHandle original, long count, long size) throws Throwable {
        Router router = Bridge.router();
        long bytes = count * size;
        boolean overflow = count < 0 || size < 0 || Math.multiplyHigh(count, size) != 0 || bytes < 0;
        long address = overflow ? 0 : router.linkerAllocate(bytes, 0, true);
        if (address != 0) {
            return address;
        }
        address = (long) original.invokeExact(count, size);
        if (!overflow) {
            router.linkerAllocatedNatively(address, bytes);
        }
        return address;
    }

    static long alignedAlloc(MethodHandle original, long alignment, long size) throws Throwable {
        Router router = Bridge.router();
        long address = isPowerOfTwo(alignment) ? router.linkerAllocate(size, alignment, false) : 0;
        if (address != 0) {
            return address;
        }
        address = (long) original.invokeExact(alignment, size);
        router.linkerAllocatedNatively(address, size);
        return address;
    }

    /** {@code int posix_memalign(void **memptr, size_t alignment, size_t size)}. */
    static int posixMemalign(MethodHandle original, MemorySegment memptr, long alignment, long size) throws Throwable {
        Router router = Bridge.router();
        // Emma writes the result only into a segment it can write (native, big enough, not read-only:
        // its set would throw once Emma's block was taken, leaking it): otherwise libc does.
        if (memptr.isNative()) {
            BlockCalls.checkAccess(memptr); // as the JDK does, before Emma takes a block the write would then lose
            if (!memptr.isReadOnly() && memptr.byteSize() >= Long.BYTES && isPowerOfTwo(alignment) && alignment >= Long.BYTES) {
                long address = router.linkerAllocate(size, alignment, false);
                if (address != 0) {
                    memptr.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, address);
                    return 0;
                }
            }
        }
        int result = (int) original.invokeExact(memptr, alignment, size);
        if (result == 0 && memptr.isNative() && memptr.byteSize() >= Long.BYTES) {
            router.linkerAllocatedNatively(memptr.get(ValueLayout.JAVA_LONG_UNALIGNED, 0), size);
        }
        return result;
    }

    static long realloc(MethodHandle original, long address, long size) throws Throwable {
        Router router = Bridge.router();
        long moved = router.linkerReallocate(address, size);
        if (moved != Router.NOT_HANDLED) {
            return moved;
        }
        moved = (long) original.invokeExact(address, size);
        router.linkerAllocatedNatively(moved, size);
        return moved;
    }

    /** Out of scope: resizes Emma's blocks (the caller got one from a routed caller), leaves libc's to libc. */
    static long reallocCounted(MethodHandle original, long address, long size) throws Throwable {
        Router router = Bridge.router();
        if (address != 0 && router.owns(address)) {
            long moved = router.linkerReallocate(address, size); // an owned block never goes back to libc
            if (moved != Router.NOT_HANDLED) {
                return moved;
            }
            // No longer Emma's by the time the router looked again (freed by another thread meanwhile,
            // or Emma closed): libc's to answer, as any foreign block's; never -1 as an address.
        }
        long moved = (long) original.invokeExact(address, size);
        if (address == 0 && moved != 0) {
            router.linkerUncovered(size);
        }
        return moved;
    }

    static void free(MethodHandle original, long address) throws Throwable {
        if (!Bridge.router().linkerFree(address)) {
            original.invokeExact(address);
        }
    }

    static long mallocUsableSize(MethodHandle original, long address) throws Throwable {
        long usable = Bridge.router().linkerUsableSize(address);
        return usable >= 0 ? usable : (long) original.invokeExact(address);
    }

    /** Out of scope: libc serves, the agent counts what stayed native. */
    static long mallocCounted(MethodHandle original, long size) throws Throwable {
        long address = (long) original.invokeExact(size);
        if (address != 0) {
            Bridge.router().linkerUncovered(size);
        }
        return address;
    }

    static long callocCounted(MethodHandle original, long count, long size) throws Throwable {
        long address = (long) original.invokeExact(count, size);
        if (address != 0) {
            Bridge.router().linkerUncovered(count * size);
        }
        return address;
    }

    static long alignedAllocCounted(MethodHandle original, long alignment, long size) throws Throwable {
        long address = (long) original.invokeExact(alignment, size);
        if (address != 0) {
            Bridge.router().linkerUncovered(size);
        }
        return address;
    }

    static int posixMemalignCounted(MethodHandle original, MemorySegment memptr, long alignment, long size) throws Throwable {
        int result = (int) original.invokeExact(memptr, alignment, size);
        if (result == 0) {
            Bridge.router().linkerUncovered(size);
        }
        return result;
    }

    private static boolean isPowerOfTwo(long value) {
        return value > 0 && (value & (value - 1)) == 0;
    }
}
