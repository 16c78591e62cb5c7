package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aMovedLinkerBlockWhoseOldAddressIsHandedOutAgainMeanwhileKeepsBothBlocksLive() {
        Router[] router = {null};
        BlockAllocator fake = new BlockAllocator() {
            boolean first = true;
            @Override public long allocate(long size) { return A; }
            @Override public long allocateZeroed(long size) { return A; }
            @Override public long allocateAligned(long size, long alignment) { return A; }
            @Override public long reallocate(long address, long newSize) {
                // the core freed A when it moved the block; another thread's Linker malloc gets A
                router[0].linkerAllocate(1 << 16, 0, false);
                return B;
            }
            @Override public boolean free(long address) { return true; }
            @Override public boolean owns(long address) { return true; }
            @Override public long usableSize(long address) { return 1 << 16; }
        };
        router[0] = Router.emma(fake, (what, cause) -> { });
        long a = router[0].linkerAllocate(1 << 16, 0, false); // 64 KiB: always sampled
        assertEquals(A, a);
        assertEquals(B, router[0].linkerReallocate(a, 1 << 17));
        // live now: the other thread's block at A (64 KiB) and the moved one at B (128 KiB)
        assertEquals((1L << 16) + (1L << 17), router[0].reading().route(Route.LINKER).liveBytes());
    }

    @Test
    void aFailedReallocationKeepsItsBlockInTheSample() {
        BlockAllocator fake = new BlockAllocator() {
            @Override public long allocate(long size) { return A; }
            @Override public long allocateZeroed(long size) { return A; }
            @Override public long allocateAligned(long size, long alignment) { return A; }
            @Override public long reallocate(long address, long newSize) { throw new OutOfMemoryError("test"); }
            @Override public boolean free(long address) { return true; }
            @Override public boolean owns(long address) { return true; }
            @Override public long usableSize(long address) { return 1 << 16; }
        };
        Router router = Router.emma(fake, (what, cause) -> { });
        long a = router.linkerAllocate(1 << 16, 0, false);
        assertEquals(0, router.linkerReallocate(a, 1 << 17), "C's failure: NULL");
        assertEquals(1L << 16, router.reading().route(Route.LINKER).liveBytes(), "the block is still live");
        org.junit.jupiter.api.Assertions.assertThrows(OutOfMemoryError.class, () -> router.reallocate(a, 1 << 17));
        assertEquals(1L << 16, router.reading().route(Route.LINKER).liveBytes(), "still live after a failed Unsafe reallocation");
        assertTrue(router.free(a));
        assertEquals(0, router.reading().route(Route.LINKER).liveBytes());
    }

    @Test
    void aReallocationThatThrowsAnyErrorKeepsItsBlockInTheSample() {
        BlockAllocator fake = new BlockAllocator() {
            @Override public long allocate(long size) { return A; }
            @Override public long allocateZeroed(long size) { return A; }
            @Override public long allocateAligned(long size, long alignment) { return A; }
            @Override public long reallocate(long address, long newSize) { throw new AssertionError("checks mode"); }
            @Override public boolean free(long address) { return true; }
            @Override public boolean owns(long address) { return true; }
            @Override public long usableSize(long address) { return 1 << 16; }
        };
        Router router = Router.emma(fake, (what, cause) -> { });
        long a = router.linkerAllocate(1 << 16, 0, false);
        assertEquals(0, router.linkerReallocate(a, 1 << 17), "C's failure, never a Java exception out of realloc");
        assertEquals(1L << 16, router.reading().route(Route.LINKER).liveBytes(), "the block is still live");
    }
}
