package dev.emma.huge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.memory.Memory;
import dev.emma.segment.FailingKernel;
import dev.emma.segment.Layout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A block whose growth moves it is out of the live table while its pages move: the moment the
 * mremap has run, its old base is a hole, and a reader walking the live mappings (residentBytes(),
 * which the agent's MBean and JFR event poll) read its header there. Before, the block stayed
 * listed at its old base until the move returned: a concurrent residentBytes() crashed the JVM
 * (SIGSEGV reading HUGE_COMMITTED; found by review, two threads growing 3 -> 40 MiB against one
 * reading residentBytes(), within 0.3 s).
 */
class GrowWhileMeasuredTest {
    private static final long MiB = 1L << 20;

    @Test
    void aMovingBlockIsNotListedWhileItsOldBaseIsAHole() {
        FailingKernel kernel = new FailingKernel();
        HugeBlocks huge = new HugeBlocks(FailingKernel.mapper(kernel, 0));
        long p = huge.allocate(3 * MiB, 16, false);
        Memory.putLong(p, 42);
        List<Boolean> listedDuringMove = new ArrayList<>();
        List<Long> basesSeen = new ArrayList<>();
        kernel.afterMremap(() -> {
            boolean listed = huge.liveUsableSize(p) >= 0;
            listedDuringMove.add(listed);
            if (!listed) { // listed, the walk would read the old header: SIGSEGV
                // What residentBytes() does, without reading the pages: every listed base's header.
                huge.sumOverMappings((base, committed) -> {
                    basesSeen.add(base);
                    return 0;
                });
            }
        });

        long q = huge.grow(p, 5 * MiB); // past its granule: moves
        assertNotEquals(Layout.segmentOf(p), Layout.segmentOf(q));
        assertEquals(List.of(false), listedDuringMove, "not listed at its old base once that is a hole");
        assertFalse(basesSeen.contains(Layout.segmentOf(p)), "no walk reads the old base");
        assertTrue(huge.liveUsableSize(q) >= 0);
        assertEquals(42, Memory.getLong(q));
        assertTrue(huge.free(q));
        huge.close();
        assertEquals(0, kernel.netMapped());
    }
}
