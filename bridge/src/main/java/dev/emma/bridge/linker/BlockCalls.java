package dev.emma.bridge.linker;

import dev.emma.bridge.Router;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Emma's part of a guarded {@code free}, {@code realloc} or {@code malloc_usable_size} handle
 * ({@link Adapters#guarded}): each method acts only on a block Emma owns and says so; for anything
 * else it does nothing and the original downcall runs with the caller's own arguments (its checks,
 * its captured {@code errno}, its heap access), as if the handle had not been exchanged.
 *
 * <p>{@code symbol} is the function the call goes to: the bound symbol, or the generic handle's
 * first argument; {@code function} the address of the libc function the handle is guarded for.
 * {@code capture} is the captured-state segment, or {@link #NO_CAPTURE}.
 */
final class BlockCalls {

    /** Stands for "no captured-state parameter": compared by identity, never passed by a caller. */
    static final MemorySegment NO_CAPTURE = MemorySegment.ofArray(new byte[0]);
    /** Linux's ENOMEM: what a failed realloc leaves in errno. */
    private static final int ENOMEM = 12;
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();

    private BlockCalls() {
    }

    /**
     * free: true if the block was Emma's (Emma freed it, or left a bad free alone); false: the
     * original frees it (the router counts it as a foreign free and forgets its sample first).
     */
    static boolean free(Router router, long function, MemorySegment symbol, MemorySegment capture, long address) {
        if (address == 0 || !isFunction(symbol, function)) {
            return false;
        }
        checkCapture(capture); // before Emma acts: the JDK checks every argument before the call
        return router.linkerFree(address);
    }

    /** malloc_usable_size: Emma's usable size, or -1 for the original. */
    static long usableSize(Router router, long function, MemorySegment symbol, MemorySegment capture, long address) {
        if (address == 0 || !isFunction(symbol, function)) {
            return -1;
        }
        checkCapture(capture); // the JDK checks it before the call, whoever's the block
        return router.linkerUsableSize(address);
    }

    /**
     * realloc of an Emma block: the new address (0: C's failure, the block stays valid, errno is
     * ENOMEM when captured), or {@link Router#NOT_HANDLED} for the original (NULL, a foreign block:
     * the router forgets its sample first, as on the plain route, and the original's answer is
     * reported back, {@link #noted}).
     */
    static long realloc(Router router, long function, long errnoOffset, MemorySegment symbol, MemorySegment capture,
                        long address, long size) {
        if (address == 0 || !isFunction(symbol, function)) {
            return Router.NOT_HANDLED;
        }
        checkCapture(capture); // first: a call the JDK refuses leaves the block live, and in the sample
        long moved = router.linkerReallocate(address, size);
        if (moved == 0 && size != 0 && errnoOffset >= 0) {
            capture.set(ValueLayout.JAVA_INT, errnoOffset, ENOMEM);
        }
        return moved;
    }

    /** The original realloc ran: a block libc resized or allocated is reported as the plain route reports it. */
    static long noted(Router router, long function, MemorySegment symbol, long result, long size) {
        if (result != 0 && symbol != null && symbol.isNative() && symbol.address() == function) {
            router.linkerAllocatedNatively(result, size);
        }
        return result;
    }

    static MemorySegment noted(Router router, long function, MemorySegment symbol, MemorySegment result, long size) {
        noted(router, function, symbol, result == null ? 0 : result.address(), size);
        return result;
    }

    /**
     * A pointer argument's address for Emma, checked as the JDK's downcall checks it: a segment of
     * a closed arena is refused with {@link IllegalStateException}, another thread's confined one
     * with {@link WrongThreadException}. 0 for null or a heap segment: the original decides (it
     * throws, or passes the heap array with {@code critical(true)}).
     */
    static long address(MemorySegment pointer) {
        if (pointer == null || !pointer.isNative()) {
            return 0;
        }
        checkAccess(pointer);
        return pointer.address();
    }

    /** The JDK's liveness and thread checks of a segment argument, with its exception types. */
    static void checkAccess(MemorySegment segment) {
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("Already closed");
        }
        if (!segment.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("Attempted access outside owning thread");
        }
    }

    /** Whether the call goes to {@code function}; the symbol's arena must be alive, as for the JDK's call. */
    private static boolean isFunction(MemorySegment symbol, long function) {
        if (symbol == null || !symbol.isNative() || symbol.address() != function) {
            return false;
        }
        checkAccess(symbol);
        return true;
    }

    /** The JDK's checks of a captured-state segment ({@code SharedUtils.checkCaptureSegment}, then its liveness). */
    private static void checkCapture(MemorySegment capture) {
        if (capture == NO_CAPTURE) {
            return;
        }
        Objects.requireNonNull(capture);
        if (capture.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("Capture segment is NULL: " + capture);
        }
        capture.asSlice(0, CAPTURE_LAYOUT);
        checkAccess(capture);
    }

    /** Whether {@code options} captures errno: its offset in the captured state, or -1. */
    static long errnoOffset(Linker.Option[] options) {
        for (Linker.Option option : options) {
            if (captures(option, "errno")) {
                return CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
            }
        }
        return -1;
    }

    /** Whether {@code option} is a captureCallState option (the handle then takes the captured-state segment first). */
    static boolean isCapture(Linker.Option option) {
        return captureNames(option) != null;
    }

    /** Whether {@code option} is a captureCallState naming {@code name}. */
    static boolean captures(Linker.Option option, String name) {
        java.util.List<String> names = captureNames(option);
        return names != null && names.contains(name);
    }

    /** The names a captureCallState option captures, or null for another option: compared with each set of names the platform has. */
    private static java.util.List<String> captureNames(Linker.Option option) {
        java.util.List<String> names = CAPTURE_LAYOUT.memberLayouts().stream()
                .map(layout -> layout.name().orElse("")).filter(n -> !n.isEmpty()).toList();
        for (int mask = 0; mask < 1 << names.size(); mask++) {
            java.util.List<String> chosen = new java.util.ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    chosen.add(names.get(i));
                }
            }
            if (option.equals(Linker.Option.captureCallState(chosen.toArray(String[]::new)))) {
                return chosen;
            }
        }
        return null;
    }
}
