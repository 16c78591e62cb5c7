package dev.emma.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SizeClassesTest {

    /** The smallest class whose blocks hold {@code size}: a linear search, the definition itself. */
    private static int smallestHolding(long size) {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            if (SizeClasses.blockSize(c) >= size) {
                return c;
            }
        }
        throw new AssertionError("no class holds " + size);
    }

    @Test
    void everySizeUpTo64KiBGetsTheSmallestClassThatHoldsIt() {
        // Covers the formula for tiny sizes, the whole look-up table and its edge, and the formula above.
        for (long size = 1; size <= 64 * 1024; size++) {
            assertEquals(smallestHolding(size), SizeClasses.classOf(size), "size " + size);
        }
    }

    @Test
    void largeSizesAroundEveryClassEdgeGetTheirClass() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            long edge = SizeClasses.blockSize(c);
            for (long size = Math.max(1, edge - 1); size <= Math.min(SizeClasses.MAX_SIZE, edge + 1); size++) {
                assertEquals(smallestHolding(size), SizeClasses.classOf(size), "size " + size);
            }
        }
    }
}
