package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.heap.HandOverHooks.Point;
import org.junit.jupiter.api.Test;

/**
 * Each page hand-over raced by another thread at a forced point (see {@link ForcedInterleaving}):
 * deterministic on any number of cores. Blocks of 5 KiB are used where a batch of one remote free
 * makes the owner collect (64 KiB pages hold 12 of them).
 */
class HandOverRaceTest {
    private static final long SIZE = 5 * 1024;

    private final ForcedInterleaving hooks = new ForcedInterleaving();
    private final Allocator emma = new Allocator(EmmaConfig.defaults().withChecks(true).withBackgroundPurge(false), hooks);

    /**
     * Issue 9: a thread adopts the page a dead thread left (two blocks live, free list empty, room
     * to carve), and before it allocates from it another thread frees one of the dead thread's
     * blocks into it. The owner then saw "a remote batch is waiting" and the allocation failed with
     * "a refilled page has no free block".
     */
    @Test
    void remoteFreeIntoAnAdoptedPageBeforeItsFirstAllocation() throws Throwable {
        long[] left = ForcedInterleaving.onThreadThatDies(() -> new long[] {emma.allocate(SIZE), emma.allocate(SIZE)});
        long block = ForcedInterleaving.onThreadThatDies(() -> {
            hooks.arm(Point.ADOPTED, Thread.currentThread(), () -> emma.free(left[0]));
            return emma.allocate(SIZE);
        });
        hooks.rethrow();
        assertEquals(1, hooks.fired(), "the new thread adopted the dead thread's page");
        assertNotEquals(0, block);
        assertNotEquals(left[0], block);
        assertNotEquals(left[1], block);
        emma.free(block);
        emma.free(left[1]);
        assertAllFreed();
    }

    private void assertAllFreed() {
        EmmaStats stats = emma.stats();
        assertEquals(0, stats.liveBlocks(), stats.toString());
        assertEquals(0, stats.invalidFrees(), stats.toString());
    }
}
