package dev.emma;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.support.Brief;
import dev.emma.support.Patterns;
import dev.emma.support.Sizes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Instances share no mutable state: closing one leaves another whole; the global one is unique. */
class IndependentInstancesTest {

    private static final long[] SIZES = {8, 100, 504, 4096, 9000, 100_000, 800_000, 2 * Sizes.MiB};

    @Test
    void closingOneInstanceLeavesAnotherWorking() {
        try (Emma survivor = Emma.create()) {
            List<Long> kept = new ArrayList<>();
            Emma closed = Emma.create();
            for (long size : SIZES) {
                long p = survivor.allocate(size);
                Patterns.fill(p, size, p);
                kept.add(p);
                Patterns.fill(closed.allocate(size), size, 1); // interleaved: neighbouring mappings
            }
            closed.close();

            for (int i = 0; i < SIZES.length; i++) {
                long p = kept.get(i);
                assertTrue(survivor.owns(p));
                assertEquals(-1, Patterns.firstMismatch(p, SIZES[i], p), "block of " + SIZES[i] + " B");
            }
            for (int i = 0; i < SIZES.length; i++) { // every tier still allocates, grows and frees
                long q = survivor.reallocate(kept.get(i), SIZES[(i + 3) % SIZES.length]);
                Patterns.fill(q, SIZES[(i + 3) % SIZES.length], 2);
                kept.set(i, q);
                long r = survivor.allocateZeroed(SIZES[i]);
                assertEquals(-1, Patterns.firstNonZero(r, SIZES[i]));
                survivor.free(r);
            }
            kept.forEach(survivor::free);
            EmmaStats s = survivor.stats();
            assertEquals(0, s.liveBlocks(), Brief.of(s));
            assertEquals(0, s.invalidFrees(), Brief.of(s));
            // its own allocate and allocateZeroed calls, plus the reallocations that moved; none of the other's
            assertTrue(s.totalAllocations() >= 2L * SIZES.length && s.totalAllocations() <= 3L * SIZES.length,
                    "counts only its own allocations: " + Brief.of(s));
        }
    }

    /** After close() the memory is unmapped: every entry point refuses instead of touching it. */
    @Test
    void aClosedInstanceRefusesToTouchItsMemory() {
        Emma emma = Emma.create();
        long small = emma.allocate(64);
        long huge = emma.allocate(3 * Sizes.MiB);
        emma.close();
        for (long p : new long[] {small, huge}) {
            assertFalse(emma.owns(p), Patterns.hex(p));
            assertThrows(IllegalStateException.class, () -> emma.free(p));
            assertThrows(IllegalStateException.class, () -> emma.usableSize(p));
            assertThrows(IllegalStateException.class, () -> emma.reallocate(p, 100));
        }
        assertThrows(IllegalStateException.class, () -> emma.allocate(64));
        assertThrows(IllegalStateException.class, () -> emma.allocate(3 * Sizes.MiB));
        assertThrows(IllegalStateException.class, () -> emma.allocateZeroed(64));
        assertThrows(IllegalStateException.class, () -> emma.allocate(64, 4096));
        assertThrows(IllegalStateException.class, emma::residentBytes);
        assertDoesNotThrow(emma::close, "close is idempotent");
    }

    @Test
    void statisticsAreNotShared() {
        try (Emma a = Emma.create(); Emma b = Emma.create()) {
            long p = a.allocate(1000);
            assertEquals(1, a.stats().liveBlocks());
            assertEquals(0, b.stats().liveBlocks());
            assertEquals(0, b.stats().totalAllocations());
            a.free(p);
        }
    }

    @Test
    void theGlobalInstanceIsUniqueAndCannotBeClosed() {
        Emma global = Emma.global();
        assertSame(global, Emma.global());
        assertThrows(UnsupportedOperationException.class, global::close);
        assertThrows(IllegalStateException.class,
                () -> Emma.configureGlobal(global.config().withChecks(!global.config().checks())));
        assertDoesNotThrow(() -> Emma.configureGlobal(global.config()));
        long p = global.allocate(256);
        assertTrue(global.owns(p));
        global.free(p);
    }
}
