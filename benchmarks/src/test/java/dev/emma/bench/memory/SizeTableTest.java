package dev.emma.bench.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizeTableTest {

    @Test
    void sizesStayInRangeAndAreLogUniform() {
        SizeTable table = new SizeTable(16, 65536, 16, 1);
        int[] perDoubling = new int[12]; // [16,32), [32,64), ... [32768,65536]
        for (int i = 0; i < table.length(); i++) {
            long size = table.get(i);
            assertTrue(size >= 16 && size <= 65536, "size " + size);
            perDoubling[Math.min(11, 63 - Long.numberOfLeadingZeros(size) - 4)]++;
        }
        for (int count : perDoubling) { // each doubling holds ~1/12 of the table
            assertTrue(Math.abs(count - table.length() / 12.0) < table.length() / 12.0 * 0.1, "count " + count);
        }
    }

    @Test
    void wrapsAroundAndRejectsBadBounds() {
        SizeTable table = new SizeTable(100, 200, 4, 7);
        assertEquals(table.get(3), table.get(3 + 16));
        assertThrows(IllegalArgumentException.class, () -> new SizeTable(0, 10, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new SizeTable(10, 5, 4, 1));
    }
}
