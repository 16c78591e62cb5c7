package dev.emma.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A page's bitmap words fill its {@link Layout#BITMAP_BYTES} exactly once each, and neighbouring
 * words (runs of 64 blocks) lie in different cache lines: a producer handing out blocks a few
 * hundred blocks ahead of the ones its consumer frees then writes other lines than the consumer reads.
 */
class BitmapLayoutTest {

    private static final long LINE = 64;

    @Test
    void everyWordHasItsOwnAlignedPlaceInTheBitmap() {
        long words = Layout.BITMAP_BYTES / 8;
        Set<Long> offsets = new HashSet<>();
        for (long w = 0; w < words; w++) {
            long offset = Layout.wordOffset(w);
            assertTrue(offset >= 0 && offset < Layout.BITMAP_BYTES, "word " + w + " at " + offset);
            assertEquals(0, offset % 8, "word " + w + " aligned");
            offsets.add(offset);
        }
        assertEquals(words, offsets.size(), "no two words share a place");
        for (long bit = 0; bit < words * 64; bit++) {
            assertEquals(Layout.wordOffset(bit >>> 6), Layout.bitmapWord(0, bit), "bit " + bit);
        }
    }

    @Test
    void wordsUpToSevenApartLieInDifferentLines() {
        long words = Layout.BITMAP_BYTES / 8;
        for (long w = 0; w < words; w++) {
            for (long d = 1; d < LINE / 8 && w + d < words; d++) {
                assertNotEquals(Layout.wordOffset(w) / LINE, Layout.wordOffset(w + d) / LINE,
                        "words " + w + " and " + (w + d));
            }
        }
    }
}
