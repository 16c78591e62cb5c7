package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.emma.EmmaConfig;
import dev.emma.os.SyscallException;
import dev.emma.segment.FailingKernel;
import dev.emma.segment.FailingKernel.Call;
import dev.emma.segment.Layout;
import org.junit.jupiter.api.Test;

/**
 * close() when a munmap fails: every other mapping is still unmapped, and the first failure is
 * thrown. Before, the first failed munmap stopped the close: a failing huge block's munmap kept
 * every segment mapped, and one segment's kept the segments after it.
 */
class CloseFailureTest {

    @Test
    void aFailedMunmapDoesNotKeepTheOtherMappingsMapped() {
        for (int failing = 0; failing < 6; failing++) {
            FailingKernel kernel = new FailingKernel();
            Allocator allocator = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), HandOverHooks.NONE,
                    FailingKernel.mapper(kernel, 0));
            allocator.allocate(100);         // a small-page segment
            allocator.allocate(20_000);      // a medium-page segment
            allocator.allocate(200_000);     // a large-page segment
            allocator.allocate(2 << 20);     // two live huge blocks, one granule each
            allocator.allocate(2 << 20);
            allocator.free(allocator.allocate(2 << 20)); // and a cached one
            assertEquals(6 * Layout.SEGMENT_SIZE, kernel.netMapped(), "six granules mapped");
            kernel.fail(Call.MUNMAP, FailingKernel.EINVAL, failing, 1);

            SyscallException thrown = assertThrows(SyscallException.class, allocator::close, "munmap " + failing + " fails");
            assertEquals(1, kernel.failures(Call.MUNMAP));
            assertEquals(Layout.SEGMENT_SIZE, kernel.netMapped(),
                    "munmap " + failing + " failed: only its granule is left mapped (" + thrown.getMessage() + ")");
        }
    }
}
