package dev.emma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.support.Brief;
import dev.emma.support.LiveRanges;
import dev.emma.support.Patterns;
import dev.emma.support.Seeds;
import dev.emma.support.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlignmentTest {

    @Test
    void everyBlockIsSixteenByteAligned() {
        long seed = Seeds.base("AlignmentTest");
        SplittableRandom random = new SplittableRandom(seed);
        try (Emma emma = Emma.create()) {
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                long size = i < 1024 ? i + 1 : Sizes.logUniform(random, 1, 3 * Sizes.MiB);
                long p = emma.allocate(size);
                assertEquals(0, p & 15, "seed " + seed + ": allocate(" + size + ") = " + Patterns.hex(p));
                blocks.add(p);
            }
            blocks.forEach(emma::free);
        }
    }

    /** Power-of-two alignments from 16 B to 4 MiB, for sizes in every tier, all live at once. */
    @Test
    void alignedAllocationsHonourTheAlignment() {
        long[] sizes = {1, 24, 100, 4096, 5000, 100_000, 1 * Sizes.MiB, 3 * Sizes.MiB};
        try (Emma emma = Emma.create()) {
            LiveRanges ranges = new LiveRanges();
            List<long[]> blocks = new ArrayList<>();
            for (long alignment = 1; alignment <= 4 * Sizes.MiB; alignment <<= 1) {
                for (long size : sizes) {
                    long p = emma.allocate(size, alignment);
                    String what = "allocate(" + size + ", " + alignment + ") = " + Patterns.hex(p);
                    assertEquals(0, p % Math.max(16, alignment), what);
                    long usable = emma.usableSize(p);
                    assertTrue(usable >= size, what + ", usableSize " + usable);
                    assertNull(ranges.add(p, usable), what);
                    Patterns.fill(p, size, p);
                    blocks.add(new long[] {p, size});
                }
            }
            assertEquals(blocks.size(), emma.stats().liveBlocks());
            for (long[] b : blocks) {
                assertEquals(-1, Patterns.firstMismatch(b[0], b[1], b[0]), "block " + Patterns.hex(b[0]) + " was overwritten");
                emma.free(b[0]);
            }
            EmmaStats stats = emma.stats();
            assertEquals(0, stats.liveBlocks(), Brief.of(stats));
            assertEquals(0, stats.invalidFrees(), "aligned blocks must be freed by their address: " + Brief.of(stats));
        }
    }

    /** "Up to the page size and beyond": alignments past the 4 MiB segment size. */
    @ParameterizedTest
    @ValueSource(longs = {8 * Sizes.MiB, 64 * Sizes.MiB})
    void alignmentsBeyondTheSegmentSize(long alignment) {
        try (Emma emma = Emma.create()) {
            for (long size : new long[] {64, 4096, 3 * Sizes.MiB}) {
                long p = emma.allocate(size, alignment);
                assertEquals(0, p % alignment, "allocate(" + size + ", " + alignment + ") = " + Patterns.hex(p));
                assertTrue(emma.usableSize(p) >= size);
                Patterns.fill(p, size, p);
                assertEquals(-1, Patterns.firstMismatch(p, size, p));
                emma.free(p);
            }
            assertEquals(0, emma.stats().liveBlocks());
            assertEquals(0, emma.stats().invalidFrees());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 24, 48, 1000, 4095, 3 * 4096, -16, Long.MIN_VALUE})
    void alignmentsThatAreNotPowersOfTwoAreRejected(long alignment) {
        try (Emma emma = Emma.create()) {
            assertThrows(IllegalArgumentException.class, () -> emma.allocate(64, alignment));
            assertEquals(0, emma.stats().liveBlocks());
        }
    }

    @Test
    void reallocatingAnAlignedBlockKeepsItsContents() {
        try (Emma emma = Emma.create()) {
            long p = emma.allocate(1000, 64 * Sizes.KiB);
            Patterns.fill(p, 1000, 42);
            long q = emma.reallocate(p, 200_000);
            assertEquals(0, q & 15);
            assertEquals(-1, Patterns.firstMismatch(q, 1000, 42));
            emma.free(q);
            assertEquals(0, emma.stats().liveBlocks());
        }
    }
}
