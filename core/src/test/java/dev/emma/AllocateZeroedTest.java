package dev.emma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.support.Patterns;
import dev.emma.support.Sizes;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** allocateZeroed may skip zeroing only memory it knows is zero: dirty reused memory must be cleared. */
class AllocateZeroedTest {

    private static final long[] SIZES = {1, 16, 24, 100, 504, 512, 4096, 8192 + 4096, 65_536, 300_000, Sizes.MiB,
            Sizes.MiB + 1, 3 * Sizes.MiB};

    @Test
    void freshBlocksAreZero() {
        try (Emma emma = Emma.create()) {
            for (long size : SIZES) {
                long p = emma.allocateZeroed(size);
                assertEquals(-1, Patterns.firstNonZero(p, size), "allocateZeroed(" + size + ")");
                assertTrue(emma.usableSize(p) >= size);
                emma.free(p);
            }
        }
    }

    @Test
    void reusedDirtyMemoryIsZeroed() {
        int reused = 0;
        try (Emma emma = Emma.create()) {
            for (long size : SIZES) {
                int count = size > Sizes.MiB ? 4 : 32;
                Set<Long> dirtied = new HashSet<>();
                long[] blocks = new long[count];
                for (int i = 0; i < count; i++) {
                    blocks[i] = emma.allocate(size);
                    Patterns.fillBytes(blocks[i], emma.usableSize(blocks[i]), (byte) 0xA5);
                    dirtied.add(blocks[i]);
                }
                for (long b : blocks) {
                    emma.free(b);
                }
                for (int i = 0; i < count; i++) {
                    blocks[i] = emma.allocateZeroed(size);
                    if (dirtied.contains(blocks[i])) {
                        reused++;
                    }
                    long bad = Patterns.firstNonZero(blocks[i], size);
                    assertEquals(-1, bad, "allocateZeroed(" + size + ") = " + Patterns.hex(blocks[i]) + " has a dirty byte at " + bad);
                }
                for (long b : blocks) {
                    emma.free(b);
                }
            }
            assertEquals(0, emma.stats().liveBlocks());
        }
        assertTrue(reused > 0, "no freed block was reused, so the reuse path was never tested");
    }

    @Test
    void zeroedAfterMixedSizesShareAPage() {
        // Neighbouring classes reuse a page after it empties: a block of one class may land on
        // bytes another class dirtied.
        try (Emma emma = Emma.create(EmmaConfig.defaults().withBackgroundPurge(false))) {
            long[] dirty = new long[2000];
            for (int i = 0; i < dirty.length; i++) {
                dirty[i] = emma.allocate(48);
                Patterns.fillBytes(dirty[i], 48, (byte) -1);
            }
            for (long b : dirty) {
                emma.free(b);
            }
            for (int round = 0; round < 3; round++) {
                long[] zeroed = new long[1000];
                for (int i = 0; i < zeroed.length; i++) {
                    long size = 16 + (i % 7) * 16;
                    zeroed[i] = emma.allocateZeroed(size);
                    assertEquals(-1, Patterns.firstNonZero(zeroed[i], size), "round " + round + ", size " + size);
                    Patterns.fillBytes(zeroed[i], size, (byte) 0x3C);
                }
                for (long b : zeroed) {
                    emma.free(b);
                }
            }
        }
    }
}
