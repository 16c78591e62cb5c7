package dev.emma.bridge;

import dev.emma.page.SizeClasses;
import java.util.Objects;
import jdk.internal.vm.annotation.Stable;

/**
 * The static methods that instrumented JDK code calls (the advice only forwards here). Loaded by
 * the bootstrap loader, once, so that {@code java.base} can see it; {@code java.base} is given a
 * read edge to it when the agent installs.
 */
public final class Bridge {

    /**
     * The active router, or null while none is ({@link Router#INACTIVE}). Set once, never changed
     * after (see {@link #activate}). {@code @Stable}, as {@link #door}: once set, C2 folds it and
     * the router's own {@code @Stable} fields (its mode, allocator and sample) to constants, so the
     * instrumented calls load none of them; code compiled before activation reads it each call.
     * Null, not {@link Router#INACTIVE}, before that: a non-null value would be folded for good.
     */
    @Stable
    private static Router active;

    /**
     * The door straight to Emma's blocks for the two hot calls ({@code allocateMemory} from the
     * application, {@code freeMemory}): the {@link EmmaBlocks} that the active router's allocator
     * forwards every call to unchanged, or null. Null until Emma started, and forever where the
     * router is not Emma's or its allocator adds anything of its own ({@code -XX:MallocLimit}); set
     * once, never changed after. {@code @Stable} (honoured in the bootstrap loader): C2 folds it to
     * a constant once it is set, so the hot calls cost no load of the router, its mode and its
     * allocator, no type check and no volatile read of whether Emma started; the paths behind it
     * (fallbacks, foreign addresses, failed frees) stay the router's. Final fields only: a racy
     * read of it sees a whole {@code EmmaBlocks}. Behind it the calls go through {@link DoorCalls},
     * whose targets are set before it opens.
     */
    @Stable
    private static EmmaBlocks door;

    private Bridge() {
    }

    /** Makes a router live; an active router is never replaced (its addresses stay its own). */
    public static synchronized boolean activate(Router router) {
        if (active != null) {
            return false;
        }
        if (router != Router.INACTIVE) {
            active = Objects.requireNonNull(router); // a racy read sees a whole router: its fields are final
        }
        return true;
    }

    public static Router router() {
        Router r = active;
        return r != null ? r : Router.INACTIVE;
    }

    /**
     * Emma started: {@code allocator} now forwards every call to {@code blocks} unchanged. Opens
     * the {@link #door} if {@code allocator} is the active router's own (not wrapped in anything).
     */
    public static synchronized void started(BlockAllocator allocator, EmmaBlocks blocks) {
        if (door == null && router().allocatorIs(allocator)) {
            DoorCalls.open(blocks); // before the door: a call that finds it open finds its targets set
            door = blocks;
        }
    }

    /** The door to Emma's blocks, or null (see {@link #door}). */
    static EmmaBlocks door() {
        return door;
    }

    /** Whether the door serves an allocation of {@code size}: 1 to {@link SizeClasses#MAX_SIZE} (huge blocks are counted by the router). */
    static boolean doorServes(long size) {
        return Long.compareUnsigned(size - 1, SizeClasses.MAX_SIZE) < 0;
    }

    public static long allocate(long size) {
        return router().allocate(size);
    }

    public static void allocatedNatively(long address, long size) {
        router().allocatedNatively(address, size);
    }

    public static long reallocate(long address, long size) {
        return router().reallocate(address, size);
    }

    public static void reallocatedNatively(long oldAddress, long newAddress, long size) {
        router().reallocatedNatively(oldAddress, newAddress, size);
    }

    public static boolean free(long address) {
        EmmaBlocks blocks = door;
        if (blocks == null) {
            return router().free(address);
        }
        try {
            if (blocks.free(address)) { // the JDK's frees (and foreign ones the application's door passed on): behind EmmaBlocks' boundary
                return true;
            }
        } catch (Throwable e) {
            return router().freeRejected(address, e);
        }
        return router().freeNotEmmas(address);
    }

    /** A direct buffer's Cleaner is about to free it ({@code DirectByteBuffer.Deallocator.run}). */
    public static void directFreed(long size) {
        router().directFreed(size);
    }

    /** An FFM arena allocated a block ({@code SegmentFactories.allocateMemoryWrapper} returned). */
    public static void segmentAllocated(long size) {
        router().segmentAllocated(size);
    }

    /** An FFM arena's cleanup is about to free a block of {@code size} bytes. */
    public static void segmentFreed(long size) {
        router().segmentFreed(size);
    }
}
