package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.emma.EmmaConfig;
import dev.emma.segment.FailingKernel;
import dev.emma.segment.FailingKernel.Call;
import org.junit.jupiter.api.Test;

/**
 * A huge block whose munmap fails when it is freed (review s22-r2): it is neither live nor cached,
 * but still mapped and counted, and a later purge, trim or close unmaps it. Before the fix nothing
 * ever did, not even close(): a leak until the process ended.
 */
class HugeUnmapFailureTest {
    private static final long MiB = 1L << 20;

    private static Allocator allocator(FailingKernel kernel) {
        return new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), HandOverHooks.NONE,
                FailingKernel.mapper(kernel, 0));
    }

    @Test
    void aFailedMunmapOfAFreedHugeBlockIsTriedAgainByTrim() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = allocator(kernel);
        long block = allocator.allocate(20 * MiB); // five granules: unmapped at free, never cached
        kernel.fail(Call.MUNMAP, FailingKernel.EINVAL, 0, 1);
        assertThrows(RuntimeException.class, () -> allocator.free(block));
        assertEquals(0, allocator.stats().liveBytes());
        assertEquals(20 * MiB + 4096, allocator.stats().mappedBytes(), "still mapped, so still counted");
        assertEquals(0, allocator.stats().hugeBlocks(), "not live any more");
        allocator.free(block); // a double free of it now: an invalid free, nothing unmapped twice
        assertEquals(1, allocator.stats().invalidFrees());
        kernel.heal();
        allocator.trim();
        assertEquals(0, allocator.stats().mappedBytes(), "unmapped by the trim");
        assertFalse(allocator.owns(block));
        allocator.close();
        assertEquals(0, kernel.netMapped());
    }

    @Test
    void aMunmapThatFailsAgainStaysPendingUntilClose() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = allocator(kernel);
        long block = allocator.allocate(20 * MiB);
        kernel.fail(Call.MUNMAP, FailingKernel.EINVAL, 0, 2);
        assertThrows(RuntimeException.class, () -> allocator.free(block));
        assertThrows(RuntimeException.class, allocator::trim); // the retry fails too
        assertEquals(20 * MiB + 4096, allocator.stats().mappedBytes());
        allocator.close();
        assertEquals(0, kernel.netMapped(), "close() unmaps what no purge could");
    }
}
