package dev.emma.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void medianOfOddAndEvenCountsIgnoringFailures() {
        assertEquals(new Spread(3, 1, 9, 3), Spread.of(List.of(9.0, 1.0, 3.0, Double.NaN)));
        assertEquals(new Spread(2.5, 1, 4, 4), Spread.of(List.of(4.0, 1.0, 3.0, 2.0)));
    }

    @Test
    void formatsMedianWithRange() {
        assertEquals("3.0 (1.0–9.0)", Spread.of(List.of(9.0, 1.0, 3.0)).format("%.1f"));
        assertEquals("7", Spread.of(List.of(7.0)).format("%.0f"));
        assertEquals("7", Spread.of(List.of(7.0, 7.2)).format("%.0f"));
        assertTrue(Spread.of(List.of()).empty());
        assertEquals("—", Spread.of(List.of()).format("%.1f"));
    }
}
