package dev.emma.bridge;

/**
 * Replaces the one call inside {@code sun.misc.Unsafe.allocateMemory}, to the JDK's internal
 * {@code Unsafe.allocateMemory}, after {@code sun.misc.Unsafe}'s own access check has run. So the
 * application's own Unsafe allocations (Netty, Arrow, ...) are told apart from the JDK's (which
 * call the internal method directly), and reach Emma one frame sooner. What Emma does not serve
 * goes on to the internal method, instrumented as usual.
 */
public final class AppUnsafe {

    private AppUnsafe() {
    }

    /** Replaces {@code theInternalUnsafe.allocateMemory(size)}; {@code unsafe} is the JDK's internal Unsafe. */
    public static long allocateMemory(Object unsafe, long size) {
        EmmaBlocks blocks = Bridge.door();
        if (blocks != null && Bridge.doorServes(size)) {
            try {
                return blocks.allocate(size);
            } catch (Throwable e) {
                return natively(unsafe, size, Bridge.router()); // as the router would: see allocateForApplication
            }
        }
        Router router = Bridge.router();
        long address = router.allocateForApplication(size);
        if (address != Router.NOT_HANDLED) {
            return address;
        }
        return natively(unsafe, size, router);
    }

    private static long natively(Object unsafe, long size, Router router) {
        long address = NativeUnsafe.allocateMemory(unsafe, size); // instrumented: may still be Emma's
        router.applicationAllocatedNatively(address);
        return address;
    }
}
