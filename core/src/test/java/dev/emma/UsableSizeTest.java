package dev.emma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.support.Patterns;
import dev.emma.support.Sizes;
import org.junit.jupiter.api.Test;

/**
 * Internal waste of the size classes (16 B .. 1 MiB). Bound asserted: a request {@code s} gets at
 * most {@code max(15, s / 4)} extra bytes (25% of the request, or less than one 16-byte step);
 * above 4 KiB at most 12.5%. Exact: every power of two from 16 B to 1 MiB, and {@code 2^k + 4096}
 * (the JDK's page-aligned direct buffers) for 4 KiB <= 2^k <= 32 KiB. Huge blocks (> 1 MiB) are
 * mapped on their own: usable >= requested, within one 4 MiB mapping granule.
 */
class UsableSizeTest {

    @Test
    void everyClassSizeWastesAtMostAQuarter() {
        try (Emma emma = Emma.create()) {
            for (long size = 1; size <= Sizes.MiB; size = next(size)) {
                long p = emma.allocate(size);
                long usable = emma.usableSize(p);
                String what = "usableSize(allocate(" + size + ")) = " + usable;
                assertTrue(usable >= size, what);
                assertTrue(usable - size <= Math.max(15, size / 4), what + ": wastes more than 25%");
                if (size > 4 * Sizes.KiB) {
                    assertTrue(usable - size <= size / 8, what + ": wastes more than 12.5% above 4 KiB");
                }
                Patterns.fill(p, usable, p); // the whole usable size is really ours
                emma.free(p);
            }
        }
    }

    @Test
    void powersOfTwoAreExact() {
        try (Emma emma = Emma.create()) {
            for (long size = 16; size <= Sizes.MiB; size <<= 1) {
                long p = emma.allocate(size);
                assertEquals(size, emma.usableSize(p), "power of two " + size);
                emma.free(p);
            }
        }
    }

    @Test
    void pageAlignedDirectBufferSizesAreExactOrClose() {
        try (Emma emma = Emma.create()) {
            for (long pow = 4096; pow <= 512 * Sizes.KiB; pow <<= 1) {
                long size = pow + 4096;
                long p = emma.allocate(size);
                long usable = emma.usableSize(p);
                if (pow <= 32 * Sizes.KiB) {
                    assertEquals(size, usable, "2^k + 4096 = " + size);
                } else {
                    assertTrue(usable >= size && usable - size <= size / 8, size + " -> " + usable);
                }
                emma.free(p);
            }
        }
    }

    @Test
    void hugeBlocksCoverTheRequest() {
        try (Emma emma = Emma.create()) {
            for (long size : new long[] {Sizes.MiB + 1, 2 * Sizes.MiB, 4 * Sizes.MiB - 4096, 4 * Sizes.MiB + 1, 37 * Sizes.MiB + 5}) {
                long p = emma.allocate(size);
                long usable = emma.usableSize(p);
                assertTrue(usable >= size && usable < size + 4 * Sizes.MiB, size + " -> " + usable);
                Patterns.fillBytes(p + usable - 4096, 4096, (byte) 1); // the tail is mapped
                emma.free(p);
            }
        }
    }

    @Test
    void usableSizeIsFoundFromTheAddressAlone() {
        try (Emma emma = Emma.create()) {
            long[] sizes = {1, 17, 129, 505, 4097, 8193, 70_000, 600_000, 2 * Sizes.MiB};
            long[] blocks = new long[sizes.length];
            long[] usable = new long[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                blocks[i] = emma.allocate(sizes[i]);
                usable[i] = emma.usableSize(blocks[i]);
            }
            for (int i = sizes.length - 1; i >= 0; i--) { // asked again, in another order
                assertEquals(usable[i], emma.usableSize(blocks[i]), "size " + sizes[i]);
            }
            for (long b : blocks) {
                emma.free(b);
            }
        }
    }

    /** Every size up to 300 B, then the edges around each 16th of a power of two. */
    private static long next(long size) {
        if (size < 300) {
            return size + 1;
        }
        long step = Long.highestOneBit(size) / 16;
        return size % step == 0 ? size + 1 : (size / step + 1) * step;
    }
}
