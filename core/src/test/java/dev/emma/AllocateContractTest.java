package dev.emma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.support.Brief;
import dev.emma.support.Patterns;
import dev.emma.support.Sizes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The edges of the contract: negative and zero sizes, free(0), exhaustion. */
class AllocateContractTest {

    @ParameterizedTest
    @ValueSource(longs = {-1, -16, -4096, Long.MIN_VALUE})
    void negativeSizesAreRejected(long size) {
        try (Emma emma = Emma.create()) {
            long p = emma.allocate(64);
            Patterns.fill(p, 64, 7);

            assertThrows(IllegalArgumentException.class, () -> emma.allocate(size));
            assertThrows(IllegalArgumentException.class, () -> emma.allocate(size, 64));
            assertThrows(IllegalArgumentException.class, () -> emma.allocateZeroed(size));
            assertThrows(IllegalArgumentException.class, () -> emma.reallocate(0, size));
            assertThrows(IllegalArgumentException.class, () -> emma.reallocate(p, size));

            assertEquals(-1, Patterns.firstMismatch(p, 64, 7), "a rejected reallocate must leave the block alone");
            assertEquals(1, emma.stats().liveBlocks());
            emma.free(p);
            assertEquals(0, emma.stats().liveBlocks());
        }
    }

    @Test
    void sizeZeroReturnsZeroAndAllocatesNothing() {
        try (Emma emma = Emma.create()) {
            assertEquals(0, emma.allocate(0));
            assertEquals(0, emma.allocate(0, 4096));
            assertEquals(0, emma.allocateZeroed(0));
            assertEquals(0, emma.reallocate(0, 0));
            EmmaStats stats = emma.stats();
            assertEquals(0, stats.liveBlocks(), Brief.of(stats));
            assertEquals(0, stats.totalAllocations(), Brief.of(stats));
        }
    }

    @Test
    void freeOfZeroDoesNothing() {
        for (EmmaConfig config : List.of(EmmaConfig.defaults(), EmmaConfig.defaults().withChecks(true))) {
            try (Emma emma = Emma.create(config)) {
                long p = emma.allocate(100);
                emma.free(0);
                EmmaStats stats = emma.stats();
                assertEquals(0, stats.invalidFrees(), config + ": " + Brief.of(stats));
                assertEquals(0, stats.totalFrees(), config + ": " + Brief.of(stats));
                assertEquals(1, stats.liveBlocks(), config + ": " + Brief.of(stats));
                emma.free(p);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, Long.MAX_VALUE / 2, 1L << 50})
    void impossibleRequestsThrowOutOfMemoryErrorWithAMessage(long size) {
        try (Emma emma = Emma.create()) {
            assertOutOfMemory(() -> emma.allocate(size));
            assertOutOfMemory(() -> emma.allocate(size, 4096));
            assertOutOfMemory(() -> emma.allocateZeroed(size));
            assertOutOfMemory(() -> emma.reallocate(0, size));

            long p = emma.allocate(3 * Sizes.MiB);
            Patterns.fill(p, 3 * Sizes.MiB, p);
            assertOutOfMemory(() -> emma.reallocate(p, size));
            assertEquals(-1, Patterns.firstMismatch(p, 3 * Sizes.MiB, p), "a failed reallocate keeps the block");
            assertEquals(1, emma.stats().liveBlocks());
            emma.free(p);

            long q = emma.allocate(1000); // still works
            assertTrue(q != 0 && emma.owns(q));
            emma.free(q);
            assertEquals(0, emma.stats().liveBlocks());
        }
    }

    @Test
    void maxMappedBytesCapsTheInstance() {
        long cap = 32 * Sizes.MiB;
        try (Emma emma = Emma.create(EmmaConfig.defaults().withMaxMappedBytes(cap))) {
            assertOutOfMemory(() -> emma.allocate(2 * cap));
            assertOutOfMemory(() -> emma.allocate(cap + Sizes.MiB));

            List<Long> blocks = new ArrayList<>();
            OutOfMemoryError refused = null;
            for (int i = 0; i < 1000 && refused == null; i++) {
                try {
                    long size = (i % 2 == 0) ? 512 * Sizes.KiB : 2 * Sizes.MiB; // pages and huge blocks
                    blocks.add(emma.allocate(size));
                    assertTrue(emma.stats().mappedBytes() <= cap, "mapped beyond the cap: " + emma.stats());
                } catch (OutOfMemoryError e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "the cap of " + cap + " bytes was never enforced");
            assertMessage(refused);
            assertFalse(blocks.isEmpty(), "nothing fitted under a 32 MiB cap");
            assertTrue(emma.stats().peakMappedBytes() <= cap, emma.stats().toString());

            blocks.forEach(emma::free);
            emma.trim();
            long again = emma.allocate(2 * Sizes.MiB); // room again once freed
            emma.free(again);
            assertEquals(0, emma.stats().liveBlocks());
        }
    }

    private static void assertOutOfMemory(org.junit.jupiter.api.function.Executable call) {
        assertMessage(assertThrows(OutOfMemoryError.class, call));
    }

    private static void assertMessage(Throwable e) {
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "no message: " + e);
    }
}
