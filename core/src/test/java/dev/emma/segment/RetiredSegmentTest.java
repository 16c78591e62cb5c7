package dev.emma.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.memory.Memory;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import org.junit.jupiter.api.Test;

/**
 * A wholly free segment given back by trim() keeps its addresses (see SegmentPool): a free that
 * read the ownership map just before the trim (a double free racing it, core-stress's
 * {@code BadFreeRacesTrim}) goes on reading the segment and must find memory there, not a hole. Before
 * the fix trim() unmapped the segment and such a read crashed the JVM.
 */
class RetiredSegmentTest {
    private static final long SIZE = 8192;

    @Test
    void aSegmentGivenBackStaysReadableAndIsReusedFirst() throws Exception {
        try (Emma emma = Emma.create(EmmaConfig.defaults().withBackgroundPurge(false))) {
            long[] block = new long[1];
            Thread t = Thread.ofPlatform().start(() -> {
                block[0] = emma.allocate(SIZE);
                Memory.fill(block[0], SIZE, (byte) 7);
                emma.free(block[0]);
            });
            t.join(); // dead: trim reclaims its heap, whose empty page was its segment's only one
            long base = Layout.segmentOf(block[0]);
            long record = Layout.pageRecord(base, (int) ((block[0] - base) >>> PageKind.SMALL.shift));
            long mapped = emma.stats().mappedBytes();

            emma.trim();

            assertEquals(0, emma.stats().segments());
            assertEquals(mapped - Layout.SEGMENT_SIZE, emma.stats().mappedBytes(), "no longer counted as mapped");
            assertFalse(emma.owns(block[0]));
            // What a racing free reads next: the page record and the block, now zero (nothing resident).
            assertEquals(0, Memory.getLong(record + Page.REMOTE));
            assertEquals(0, Page.capacity(record), "no address of it passes as a block");
            assertEquals(0, Memory.getLong(block[0]));
            emma.free(block[0]);
            assertEquals(1, emma.stats().invalidFrees());

            long again = emma.allocate(SIZE);
            assertEquals(base, Layout.segmentOf(again), "the reserved addresses are reused first");
            assertEquals(mapped, emma.stats().mappedBytes());
            emma.free(again);
        }
    }
}
