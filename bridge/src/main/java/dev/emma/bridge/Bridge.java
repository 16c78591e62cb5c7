package dev.emma.bridge;

/**
 * The static methods that instrumented JDK code calls (the advice only forwards here). Loaded by
 * the bootstrap loader, once, so that {@code java.base} can see it; {@code java.base} is given a
 * read edge to it when the agent installs.
 */
public final class Bridge {

    private static volatile Router router = Router.INACTIVE;

    private Bridge() {
    }

    /** Makes a router live; an active router is never replaced (its addresses stay its own). */
    public static synchronized boolean activate(Router active) {
        if (router != Router.INACTIVE) {
            return false;
        }
        router = active;
        return true;
    }

    public static Router router() {
        return router;
    }

    public static long allocate(long size) {
        return router.allocate(size);
    }

    public static void allocatedNatively(long address, long size) {
        router.allocatedNatively(address, size);
    }

    public static long reallocate(long address, long size) {
        return router.reallocate(address, size);
    }

    public static void reallocatedNatively(long oldAddress, long newAddress, long size) {
        router.reallocatedNatively(oldAddress, newAddress, size);
    }

    public static boolean free(long address) {
        return router.free(address);
    }

    /** A direct buffer's Cleaner is about to free it ({@code DirectByteBuffer.Deallocator.run}). */
    public static void directFreed(long size) {
        router.directFreed(size);
    }

    /** An FFM arena allocated a block ({@code SegmentFactories.allocateMemoryWrapper} returned). */
    public static void segmentAllocated(long size) {
        router.segmentAllocated(size);
    }

    /** An FFM arena's cleanup is about to free a block of {@code size} bytes. */
    public static void segmentFreed(long size) {
        router.segmentFreed(size);
    }
}
