package dev.emma.bridge;

/**
 * Replaces the one call inside {@code sun.misc.Unsafe.allocateMemory} and {@code freeMemory}, to the
 * JDK's internal method, after {@code sun.misc.Unsafe}'s own access check has run. So the
 * application's own Unsafe allocations (Netty, Arrow, ...) are told apart from the JDK's (which
 * call the internal method directly), and both calls reach Emma one frame sooner: C2 inlines the
 * core into a library's helpers only while the whole chain fits its depth limit (DoorCalls). What
 * Emma does not serve or own goes on to the internal method, instrumented as usual.
 */
public final class AppUnsafe {

    private AppUnsafe() {
    }

    /** Replaces {@code theInternalUnsafe.allocateMemory(size)}; {@code unsafe} is the JDK's internal Unsafe. */
    public static long allocateMemory(Object unsafe, long size) {
        EmmaBlocks blocks = Bridge.door();
        if (blocks != null && Bridge.doorServes(size)) {
            try {
                return (long) DoorCalls.ALLOCATE.invokeExact(size); // blocks' allocate, entered as DoorCalls says why
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

    /**
     * Replaces {@code theInternalUnsafe.freeMemory(address)}. Emma's blocks are freed at the door;
     * any other address goes on to the internal method, whose advice asks the router (a second
     * ownership look-up, for foreign addresses only, and the one that counts them).
     */
    public static void freeMemory(Object unsafe, long address) {
        if (Bridge.door() != null) {
            try {
                if ((boolean) DoorCalls.FREE.invokeExact(address)) { // blocks' free, entered as DoorCalls says why
                    return;
                }
            } catch (Throwable e) {
                Bridge.router().freeRejected(address, e); // Emma's (or it could not tell): left alone
                return;
            }
        }
        NativeUnsafe.freeMemory(unsafe, address);
    }

    private static long natively(Object unsafe, long size, Router router) {
        long address = NativeUnsafe.allocateMemory(unsafe, size); // instrumented: may still be Emma's
        router.applicationAllocatedNatively(address);
        return address;
    }
}
