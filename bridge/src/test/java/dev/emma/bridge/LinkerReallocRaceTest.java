package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A reallocation takes its block out of the Linker route's sample before the core may free it:
 * taken after, when another thread got the old address meanwhile and its block was sampled (it
 * replaces a stale entry in place), the late take removed the new block from the live figures.
 * And a failed reallocation puts the block back.
 */
class LinkerReallocRaceTest {
    static final long A = 0x7000_0000_0000L;
    static final long B = 0x7100_0000_0000L;
    static final long KiB64 = 1 << 16;

    /** An allocator that hands out A, owns everything, and reallocates with {@code reallocate(address)}. */
    private static BlockAllocator handingOutA(LongUnaryOperator reallocate) {
        return new BlockAllocator() {
            @Override public long allocate(long size) { return A; }
            @Override public long allocateZeroed(long size) { return A; }
            @Override public long allocateAligned(long size, long alignment) { return A; }
            @Override public long reallocate(long address, long newSize) { return reallocate.applyAsLong(address); }
            @Override public boolean free(long address) { return true; }
            @Override public boolean owns(long address) { return true; }
            @Override public long usableSize(long address) { return KiB64; }
        };
    }

    private static long linkerLive(Router router) {
        return router.reading().route(Route.LINKER).liveBytes();
    }

    @Test
    void aMovedLinkerBlockWhoseOldAddressIsHandedOutAgainMeanwhileKeepsBothBlocksLive() {
        Router[] router = {null};
        router[0] = Router.emma(handingOutA(address -> {
            // the core freed A when it moved the block; another thread's Linker malloc gets A
            router[0].linkerAllocate(KiB64, 0, false);
            return B;
        }), (what, cause) -> { });
        long a = router[0].linkerAllocate(KiB64, 0, false); // 64 KiB: always sampled
        assertEquals(A, a);
        assertEquals(B, router[0].linkerReallocate(a, 2 * KiB64));
        // live now: the other thread's block at A (64 KiB) and the moved one at B (128 KiB)
        assertEquals(3 * KiB64, linkerLive(router[0]));
    }

    @Test
    void aFailedReallocationKeepsItsBlockInTheSample() {
        Router router = Router.emma(handingOutA(address -> {
            throw new OutOfMemoryError("test");
        }), (what, cause) -> { });
        long a = router.linkerAllocate(KiB64, 0, false);
        assertEquals(0, router.linkerReallocate(a, 2 * KiB64), "C's failure: NULL");
        assertEquals(KiB64, linkerLive(router), "the block is still live");
        assertThrows(OutOfMemoryError.class, () -> router.reallocate(a, 2 * KiB64));
        assertEquals(KiB64, linkerLive(router), "still live after a failed Unsafe reallocation");
        assertTrue(router.free(a));
        assertEquals(0, linkerLive(router));
    }

    @Test
    void aReallocationThatThrowsAnyErrorKeepsItsBlockInTheSample() {
        Router router = Router.emma(handingOutA(address -> {
            throw new AssertionError("checks mode");
        }), (what, cause) -> { });
        long a = router.linkerAllocate(KiB64, 0, false);
        assertEquals(0, router.linkerReallocate(a, 2 * KiB64), "C's failure, never a Java exception out of realloc");
        assertEquals(KiB64, linkerLive(router), "the block is still live");
    }
}
