package dev.emma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.support.ForeignMemory;
import dev.emma.support.Patterns;
import dev.emma.support.Sizes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** freeIfOwned(address): owns(address), then free(address) if so, in one look-up. */
class FreeIfOwnedTest {

    @ParameterizedTest
    @ValueSource(longs = {16, 64, 4096, 20_000, 700_000, 3 * Sizes.MiB})
    void freesItsOwnBlock(long size) {
        try (Emma emma = Emma.create()) {
            long p = emma.allocate(size);
            assertTrue(emma.freeIfOwned(p));
            assertEquals(0, emma.stats().liveBlocks(), "size " + size);
            assertEquals(1, emma.stats().totalFrees(), "size " + size);
            assertEquals(0, emma.stats().invalidFrees(), "size " + size);
        }
    }

    @Test
    void leavesForeignAddressesAloneAndAnswersFalse() {
        try (Emma emma = Emma.create(); Emma other = Emma.create()) {
            long mine = emma.allocate(64);
            long theirs = other.allocate(64);
            Patterns.fill(theirs, 64, theirs);
            long malloc = ForeignMemory.malloc(64);
            try {
                for (long foreign : new long[] {0, theirs, malloc, -16, 1L << 48}) {
                    assertFalse(emma.freeIfOwned(foreign), Patterns.hex(foreign));
                }
                assertEquals(0, emma.stats().invalidFrees(), "a foreign address is not an invalid free of ours");
                assertEquals(1, emma.stats().liveBlocks());
                assertEquals(1, other.stats().liveBlocks());
                assertEquals(-1, Patterns.firstMismatch(theirs, 64, theirs), "the other instance's block was touched");
                assertEquals(64, other.usableSize(theirs));
            } finally {
                ForeignMemory.free(malloc);
            }
            emma.free(mine);
            other.free(theirs);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {64, 4096, 20_000, 3 * Sizes.MiB})
    void aDoubleOrInteriorFreeIsOursAndHandledAsFreeHandlesIt(long size) {
        try (Emma emma = Emma.create()) {
            long keep = emma.allocate(size);
            long p = emma.allocate(size);
            assertTrue(emma.freeIfOwned(p));
            assertTrue(emma.freeIfOwned(p), "a double free must never reach another allocator");
            assertTrue(emma.freeIfOwned(keep + 16), "an interior pointer must never reach another allocator");
            assertEquals(2, emma.stats().invalidFrees(), "size " + size);
            assertEquals(1, emma.stats().liveBlocks(), "size " + size);
            assertTrue(emma.usableSize(keep) >= size); // still live: throws otherwise
            emma.free(keep);
        }
    }

    @Test
    void checksModeThrowsOnADoubleFreeAsFreeDoes() {
        try (Emma emma = Emma.create(EmmaConfig.defaults().withChecks(true))) {
            long p = emma.allocate(64);
            assertTrue(emma.freeIfOwned(p));
            assertThrows(InvalidFreeException.class, () -> emma.freeIfOwned(p));
            assertFalse(emma.freeIfOwned(0));
        }
    }

    @Test
    void aClosedInstanceOwnsNothing() {
        Emma emma = Emma.create();
        long p = emma.allocate(64);
        emma.close();
        assertFalse(emma.freeIfOwned(p));
    }
}
