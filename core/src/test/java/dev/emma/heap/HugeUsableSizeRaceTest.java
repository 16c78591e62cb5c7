package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.emma.EmmaConfig;
import dev.emma.segment.FailingKernel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A usable-size look-up of a huge block (reallocate, usableSize, the bridge's MallocLimit free)
 * racing a free of it, as in an application's double free (review s22-r2): the look-up checked
 * that the block was live under the huge blocks' lock and read its header after releasing it, so
 * the free could unmap the header in between (a SIGSEGV). Forced here: at the point between the
 * check and the read, another thread frees the block, and a munmap that keeps the range mapped
 * but poisoned ({@link FailingKernel#keepingUnmappedRanges}) shows a read after it without a crash.
 */
class HugeUsableSizeRaceTest {
    private static final long MiB = 1L << 20;

    @Test
    void aLookUpRacingAFreeNeverReadsTheHeaderOfAnUnmappedBlock() throws Exception {
        FailingKernel kernel = new FailingKernel();
        AtomicReference<Allocator> instance = new AtomicReference<>();
        AtomicReference<Thread> freer = new AtomicReference<>();
        long[] block = new long[1];
        HandOverHooks hooks = (point, address) -> {
            if (point != HandOverHooks.Point.HUGE_LIVE_CHECKED || address != block[0] || freer.get() != null) {
                return;
            }
            kernel.keepingUnmappedRanges();
            Thread t = Thread.ofPlatform().start(() -> instance.get().free(address));
            freer.set(t);
            // The free either finishes (the look-up left a window: the block is "unmapped" now) or
            // waits for the lock the look-up holds.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (t.isAlive() && t.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        };
        Allocator allocator = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), hooks,
                FailingKernel.mapper(kernel, 0));
        instance.set(allocator);
        block[0] = allocator.allocate(20 * MiB); // five granules: unmapped when freed, never cached
        long size = allocator.usableSize(block[0]);
        Thread t = freer.get();
        assertNotNull(t, "the look-up reached the point after its check");
        t.join(5000);
        assertFalse(t.isAlive());
        kernel.unmapKept();
        assertEquals(20 * MiB, size, "read from the block's header, not from the poison an unmapped one holds ("
                + Long.toHexString(size) + ")");
        assertEquals(0, allocator.stats().liveBytes(), "the free went through, after the look-up");
        allocator.close();
        assertEquals(0, kernel.netMapped());
    }
}
