package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.segment.Layout;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Large classes (72 KiB-1 MiB, whole-segment pages) are served by the shared heaps, spread by
 * thread id: each platform thread always gets the same one, and different threads different ones.
 * Before, all of them went to the first shared heap, so two threads took turns at one lock and
 * reused the blocks the other had just written (Arrow batches at 2 threads: 12% fewer batches/s).
 */
class LargeClassRoutingTest {
    private static final long SIZE = 100 * 1024;

    @Test
    void largeBlocksOfDifferentThreadsComeFromDifferentSharedHeaps() throws Exception {
        int sharedHeaps = 4;
        Allocator allocator = new Allocator(EmmaConfig.defaults().withSharedHeaps(sharedHeaps).withBackgroundPurge(false));
        Set<Integer> owners = new TreeSet<>();
        for (int t = 0; t < 8; t++) {
            int[] seen = new int[2];
            Thread thread = Thread.ofPlatform().start(() -> {
                long a = allocator.allocate(SIZE);
                long b = allocator.allocate(SIZE);
                seen[0] = Page.owner(pageOf(a));
                seen[1] = Page.owner(pageOf(b));
                allocator.free(a);
                allocator.free(b);
            });
            thread.join();
            assertTrue(seen[0] >= 1 && seen[0] <= sharedHeaps, "a shared heap's page (heap ids 1.." + sharedHeaps + "): " + seen[0]);
            assertEquals(seen[0], seen[1], "one thread, one shared heap");
            owners.add(seen[0]);
        }
        assertTrue(owners.size() >= 2, "eight threads spread over the shared heaps: " + owners);
        allocator.close();
    }

    private static long pageOf(long address) {
        return Layout.pageRecord(Layout.segmentOf(address), (int) ((address - Layout.segmentOf(address)) >>> PageKind.LARGE.shift));
    }
}
