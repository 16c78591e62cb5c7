package dev.emma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.support.Brief;
import dev.emma.support.LiveRanges;
import dev.emma.support.Patterns;
import dev.emma.support.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * reallocate across classes and tiers, both ways, with live neighbours around the block: the
 * contents up to min(old, new) survive, the new size is fully writable without touching a
 * neighbour, and the old address is dead once the block moved.
 */
class ReallocateTest {

    /** Edges of classes and tiers: small, the original's 8 -> 9..15 and 504 <-> 505..512 bugs, medium, large, huge. */
    private static final long[] SIZES = {1, 8, 9, 15, 16, 17, 100, 128, 129, 504, 505, 512, 513, 4096, 4097,
            8192, 8193, 12_288, 65_536, 65_537, 262_144, Sizes.MiB, Sizes.MiB + 1, 2 * Sizes.MiB, 5 * Sizes.MiB + 123};

    static Stream<Arguments> configs() {
        return Stream.of(Arguments.of("defaults", EmmaConfig.defaults()),
                Arguments.of("checks", EmmaConfig.defaults().withChecks(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void everyPairOfSizesGrowsAndShrinksKeepingContents(String name, EmmaConfig config) {
        List<String> failures = new ArrayList<>();
        for (long from : SIZES) {
            try (Emma emma = Emma.create(config)) {
                for (long to : SIZES) {
                    try {
                        reallocateAmongNeighbours(emma, from, to);
                    } catch (Throwable e) {
                        failures.add(from + " -> " + to + ": " + e);
                        break; // the instance may be damaged; go on with the next row
                    }
                }
            }
        }
        assertEquals(List.of(), failures, name);
    }

    private static void reallocateAmongNeighbours(Emma emma, long from, long to) {
        long tag = from * 1_000_003 + to;
        int perSide = from <= 64 * Sizes.KiB ? 4 : 1; // big neighbours cost page faults, not coverage
        long[] neighbours = new long[2 * perSide];
        for (int i = 0; i < perSide; i++) {
            neighbours[i] = fillNew(emma, from);
        }
        long p = emma.allocate(from);
        Patterns.fill(p, from, tag);
        for (int i = perSide; i < neighbours.length; i++) {
            neighbours[i] = fillNew(emma, from);
        }
        long liveBefore = emma.stats().liveBlocks();
        long invalidBefore = emma.stats().invalidFrees();

        long q = emma.reallocate(p, to);
        String what = "reallocate(" + Patterns.hex(p) + " of " + from + " B, " + to + ") = " + Patterns.hex(q);
        assertNotEquals(0, q, what);
        assertEquals(0, q & 15, what + " is not 16-byte aligned");
        long usable = emma.usableSize(q);
        assertTrue(usable >= to, what + ": usableSize " + usable);
        long kept = Math.min(from, to);
        long bad = Patterns.firstMismatch(q, kept, tag);
        assertEquals(-1, bad, what + ": contents lost at offset " + bad);
        assertEquals(liveBefore, emma.stats().liveBlocks(), what + ": live blocks changed");

        LiveRanges ranges = new LiveRanges();
        for (long n : neighbours) {
            ranges.add(n, emma.usableSize(n));
        }
        String overlap = ranges.add(q, usable);
        assertEquals(null, overlap, what);
        Patterns.fill(q, usable, ~tag); // the whole usable size is writable...
        for (long n : neighbours) { // ...without touching a neighbour
            assertEquals(-1, Patterns.firstMismatch(n, from, n), what + ": neighbour " + Patterns.hex(n) + " overwritten");
        }

        if (q != p) {
            assertOldAddressIsDead(emma, p, what, invalidBefore);
        }
        emma.free(q);
        for (long n : neighbours) {
            emma.free(n);
        }
        assertEquals(0, emma.stats().liveBlocks(), what);
    }

    private static void assertOldAddressIsDead(Emma emma, long p, String what, long invalidBefore) {
        if (emma.config().checks()) {
            InvalidFreeException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidFreeException.class,
                    () -> emma.free(p), what + ": freeing the old address after a move must be reported");
            assertEquals(p, e.address(), what);
        } else {
            emma.free(p);
            assertEquals(invalidBefore + 1, emma.stats().invalidFrees(), what + ": the old address was still live");
        }
    }

    private static long fillNew(Emma emma, long size) {
        long n = emma.allocate(size);
        Patterns.fill(n, size, n);
        return n;
    }

    /** The original grew an 8-byte slot in place to 9..15 bytes. */
    @Test
    void growingEightBytesByOneAtATimeNeverOverrunsTheSlot() {
        resizeChain(8, 16, 64);
    }

    /** The original kept 504 B blocks in place at 505..512 and later freed them into the wrong tier. */
    @Test
    void crossingTheSmallMediumBoundaryByOneAtATime() {
        resizeChain(500, 520, 64);
        resizeChain(520, 500, 64);
    }

    /** Resizes one block from {@code from} to {@code to} bytes one byte at a time, among live neighbours. */
    private static void resizeChain(long from, long to, int neighbourCount) {
        long step = Long.signum(to - from);
        try (Emma emma = Emma.create(EmmaConfig.defaults().withChecks(true))) {
            long[] neighbours = new long[neighbourCount];
            long p = 0;
            for (int i = 0; i < neighbourCount; i++) {
                neighbours[i] = fillNew(emma, from);
                if (i == neighbourCount / 2) {
                    p = emma.allocate(from);
                }
            }
            Patterns.fill(p, from, 99);
            for (long size = from + step; size != to + step; size += step) {
                p = resizeAndCheck(emma, p, size - step, size, neighbours, from);
            }
            emma.free(p); // frees into whatever tier the block now belongs to
            for (long n : neighbours) {
                emma.free(n);
            }
            assertEquals(0, emma.stats().liveBlocks());
            assertEquals(0, emma.stats().invalidFrees());
        }
    }

    private static long resizeAndCheck(Emma emma, long p, long oldSize, long newSize, long[] neighbours, long neighbourSize) {
        long q = emma.reallocate(p, newSize);
        String what = "reallocate(" + Patterns.hex(p) + ", " + oldSize + " -> " + newSize + ") = " + Patterns.hex(q);
        assertEquals(-1, Patterns.firstMismatch(q, Math.min(oldSize, newSize), 99), what + ": contents lost");
        assertTrue(emma.usableSize(q) >= newSize, what + ": usableSize " + emma.usableSize(q));
        Patterns.fill(q, newSize, 99);
        for (long n : neighbours) {
            assertEquals(-1, Patterns.firstMismatch(n, neighbourSize, n), what + ": neighbour " + Patterns.hex(n) + " overwritten");
        }
        return q;
    }

    @Test
    void hugeBlocksGrowAndShrinkKeepingContents() {
        try (Emma emma = Emma.create(EmmaConfig.defaults().withChecks(true))) {
            long size = 3 * Sizes.MiB;
            long p = emma.allocate(size);
            Patterns.fill(p, size, 5);
            assertEquals(1, emma.stats().hugeBlocks());
            long[] steps = {64 * Sizes.MiB, 200 * Sizes.MiB + 4095, 9 * Sizes.MiB, 2 * Sizes.MiB, 1500, 40};
            for (long next : steps) {
                long q = emma.reallocate(p, next);
                String what = size + " -> " + next;
                assertEquals(-1, Patterns.firstMismatch(q, Math.min(size, next), 5), what + ": contents lost");
                assertTrue(emma.usableSize(q) >= next, what);
                if (next > size) { // touch all new pages, and keep the pattern whole for the next step
                    Patterns.fill(q, next, 5);
                }
                assertEquals(1, emma.stats().liveBlocks(), what);
                assertEquals(next > Sizes.MiB ? 1 : 0, emma.stats().hugeBlocks(), what);
                p = q;
                size = next;
            }
            emma.free(p);
            assertEquals(0, emma.stats().liveBlocks());
            assertEquals(0, emma.stats().hugeBlocks());
        }
    }

    /**
     * Growth by doubling: past 32 KiB the block moves once to a mapping of its own and then grows
     * in place up to 1 MiB (no copy); freed, that mapping stays cached for the next growth, which
     * lands in it already past 8 KiB (no syscall, fewer copies); trim() unmaps it.
     */
    @Test
    void growthByDoublingMovesOnceThenGrowsInPlaceAndReusesItsMapping() {
        try (Emma emma = Emma.create(EmmaConfig.defaults().withBackgroundPurge(false))) {
            long firstMapping = 0;
            for (int cycle = 0; cycle < 3; cycle++) {
                long size = 16;
                long p = emma.allocate(size);
                Patterns.fill(p, size, cycle);
                long inMapping = 0;
                while (size < Sizes.MiB) {
                    long next = size * 2;
                    long q = emma.reallocate(p, next);
                    String what = "cycle " + cycle + ", " + size + " -> " + next;
                    assertEquals(-1, Patterns.firstMismatch(q, size, cycle), what + ": contents lost");
                    Patterns.fill(q, next, cycle);
                    long movesPast = cycle == 0 ? 32 * Sizes.KiB : 8 * Sizes.KiB; // no mapping cached in cycle 0
                    if (next <= movesPast) {
                        assertEquals(0, emma.stats().hugeBlocks(), what + ": still in a size class");
                    } else {
                        assertEquals(1, emma.stats().hugeBlocks(), what + ": in a mapping of its own");
                        if (inMapping == 0) {
                            inMapping = q;
                        }
                        assertEquals(inMapping, q, what + ": grew in place");
                    }
                    p = q;
                    size = next;
                }
                if (cycle == 0) {
                    firstMapping = inMapping;
                } else {
                    assertEquals(firstMapping, inMapping, "cycle " + cycle + ": the freed mapping was reused");
                }
                emma.free(p);
                assertEquals(0, emma.stats().liveBlocks());
                assertTrue(emma.owns(p), "a freed one-granule mapping stays mapped for reuse");
            }
            long mapped = emma.stats().mappedBytes();
            emma.trim();
            assertTrue(emma.stats().mappedBytes() <= mapped - Sizes.MiB, "trim() unmaps the cached mapping: " + Brief.of(emma.stats()));
            assertTrue(!emma.owns(firstMapping), "trim() unmaps the cached mapping");
        }
    }

    @Test
    void hugeGrowthFarBeyondTheOldSizeKeepsTheContents() {
        // The mremap path: contents kept, and the far end of the grown mapping is writable.
        try (Emma emma = Emma.create()) {
            long p = emma.allocate(2 * Sizes.MiB);
            Patterns.fill(p, 2 * Sizes.MiB, 11);
            long q = emma.reallocate(p, 256 * Sizes.MiB);
            assertEquals(-1, Patterns.firstMismatch(q, 2 * Sizes.MiB, 11));
            Patterns.fillBytes(q + 256 * Sizes.MiB - 4096, 4096, (byte) 1);
            emma.free(q);
            assertEquals(0, emma.stats().hugeBlocks());
        }
    }

    @Test
    void reallocateOfZeroAllocatesAndToZeroFrees() {
        try (Emma emma = Emma.create()) {
            long p = emma.reallocate(0, 300);
            assertNotEquals(0, p);
            assertTrue(emma.owns(p) && emma.usableSize(p) >= 300);
            assertEquals(1, emma.stats().liveBlocks());
            Patterns.fill(p, 300, 1);

            assertEquals(0, emma.reallocate(p, 0));
            EmmaStats stats = emma.stats();
            assertEquals(0, stats.liveBlocks(), Brief.of(stats));
            assertEquals(1, stats.totalFrees(), Brief.of(stats));

            long huge = emma.reallocate(0, 3 * Sizes.MiB);
            assertEquals(1, emma.stats().hugeBlocks());
            assertEquals(0, emma.reallocate(huge, 0));
            assertEquals(0, emma.stats().hugeBlocks());
            assertEquals(0, emma.stats().liveBlocks());
        }
    }
}
