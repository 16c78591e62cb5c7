package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.memory.Memory;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.segment.Layout;
import java.util.Arrays;
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

    /**
     * Each heap serving large classes may map a whole segment per class, so they are spread over at
     * most {@link Heaps#LARGE_CLASS_HEAPS} shared heaps, however many there are (found in review:
     * with 64 shared heaps, up to 64 times the mapped bytes).
     */
    @Test
    void largeBlocksComeFromAtMostFourSharedHeaps() throws Exception {
        Allocator allocator = new Allocator(EmmaConfig.defaults().withSharedHeaps(16).withBackgroundPurge(false));
        Set<Integer> owners = new TreeSet<>();
        for (int t = 0; t < 64; t++) {
            int[] seen = new int[1];
            Thread thread = Thread.ofPlatform().start(() -> {
                long a = allocator.allocate(SIZE);
                seen[0] = Page.owner(pageOf(a));
                allocator.free(a);
            });
            thread.join();
            owners.add(seen[0]);
        }
        assertTrue(owners.size() >= 2 && owners.size() <= Heaps.LARGE_CLASS_HEAPS, "owners " + owners);
        allocator.close();
    }

    /**
     * Under a maxMappedBytes cap, a thread whose heap cannot map another segment takes a block from
     * a page another of those heaps still has room in: sixteen threads keeping a 100 KiB block each
     * (1.6 MiB) fit under a three-segment cap, as they did when one heap served them all (found in
     * review: three of them got an OutOfMemoryError).
     */
    @Test
    void aCappedHeapTakesRoomFromAnotherHeapsPage() throws Exception {
        Allocator allocator = new Allocator(EmmaConfig.defaults().withSharedHeaps(4).withBackgroundPurge(false)
                .withMaxMappedBytes(3 * Layout.SEGMENT_SIZE));
        long[] blocks = new long[16];
        Throwable[] failures = new Throwable[blocks.length];
        for (int t = 0; t < blocks.length; t++) {
            int i = t;
            Thread.ofPlatform().start(() -> {
                try {
                    blocks[i] = allocator.allocateZeroed(SIZE);
                } catch (Throwable e) {
                    failures[i] = e;
                }
            }).join();
            assertEquals(null, failures[i], "thread " + i);
            assertTrue(allocator.usableSize(blocks[i]) >= SIZE);
            assertEquals(0, Memory.getLong(blocks[i] + SIZE - 8), "zeroed");
        }
        assertTrue(allocator.stats().mappedBytes() <= 3 * Layout.SEGMENT_SIZE);
        assertEquals(blocks.length, new TreeSet<>(Arrays.stream(blocks).boxed().toList()).size(), "distinct blocks");
        for (long b : blocks) {
            allocator.free(b);
        }
        assertEquals(0, allocator.stats().liveBytes());
        allocator.close();
    }

    private static long pageOf(long address) {
        return Layout.pageRecord(Layout.segmentOf(address), (int) ((address - Layout.segmentOf(address)) >>> PageKind.LARGE.shift));
    }
}
