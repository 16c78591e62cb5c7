package dev.emma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.support.ForeignMemory;
import dev.emma.support.LiveRanges;
import dev.emma.support.Patterns;
import dev.emma.support.Sizes;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Double, interior and foreign frees: ignored and counted by default, reported with checks; the
 * heap stays consistent either way (later blocks never overlap, contents of live blocks survive).
 */
class InvalidFreeTest {

    private static final EmmaConfig CHECKS = EmmaConfig.defaults().withChecks(true);

    @ParameterizedTest
    @ValueSource(longs = {16, 48, 504, 4096, 20_000, 700_000, 3 * Sizes.MiB})
    void doubleFreeIsIgnoredAndCounted(long size) {
        try (Emma emma = Emma.create()) {
            long p = emma.allocate(size);
            emma.free(p);
            emma.free(p);
            assertEquals(1, emma.stats().invalidFrees(), "size " + size);
            assertEquals(1, emma.stats().totalFrees(), "size " + size);
            assertHeapConsistent(emma, size);
        }
    }

    @Test
    void doubleFreeFromAnotherThreadIsIgnoredAndCounted() throws Exception {
        try (Emma emma = Emma.create()) {
            long[] blocks = new long[64];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = emma.allocate(64);
            }
            CompletableFuture.runAsync(() -> {
                for (long b : blocks) {
                    emma.free(b);
                }
                for (long b : blocks) {
                    emma.free(b);
                }
            }).get();
            for (long b : blocks) {
                emma.free(b); // a third time, from the owner, after the remote frees
            }
            assertEquals(2L * blocks.length, emma.stats().invalidFrees());
            assertHeapConsistent(emma, 64);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {48, 504, 4096, 20_000, 700_000, 3 * Sizes.MiB})
    void interiorFreeIsIgnoredAndTheBlockStaysLive(long size) {
        try (Emma emma = Emma.create()) {
            long p = emma.allocate(size);
            Patterns.fill(p, size, p);
            emma.free(p + 16);
            emma.free(p + size - 1);
            assertEquals(2, emma.stats().invalidFrees());
            assertEquals(1, emma.stats().liveBlocks());
            List<Long> others = new ArrayList<>();
            for (int i = 0; i < 32; i++) { // the block's memory must not be handed out again
                long q = emma.allocate(size);
                Patterns.fill(q, size, q);
                others.add(q);
            }
            assertEquals(-1, Patterns.firstMismatch(p, size, p), "the block was reused while live");
            emma.free(p);
            others.forEach(emma::free);
            assertEquals(0, emma.stats().liveBlocks());
            assertEquals(2, emma.stats().invalidFrees());
        }
    }

    @Test
    void foreignFreeIsIgnoredAndCounted() {
        try (Emma emma = Emma.create(); Arena arena = Arena.ofConfined()) {
            long keep = emma.allocate(100);
            long malloc = ForeignMemory.malloc(64);
            long[] foreign = {malloc, arena.allocate(256).address(), 0x1000, -1, Long.MIN_VALUE, 1L << 47};
            for (long address : foreign) {
                emma.free(address);
            }
            assertEquals(foreign.length, emma.stats().invalidFrees());
            assertEquals(1, emma.stats().liveBlocks());
            ForeignMemory.free(malloc); // glibc's block is untouched by Emma
            emma.free(keep);
            assertHeapConsistent(emma, 100);
        }
    }

    @Test
    void checksReportDoubleFreeWithAddressAndOperation() {
        try (Emma emma = Emma.create(CHECKS)) {
            for (long size : new long[] {32, 5000, 300_000, 2 * Sizes.MiB}) {
                long p = emma.allocate(size);
                emma.free(p);
                assertReported(() -> emma.free(p), "free", p);
            }
            assertHeapConsistent(emma, 32);
        }
    }

    @Test
    void checksReportInteriorFree() {
        try (Emma emma = Emma.create(CHECKS)) {
            for (long size : new long[] {64, 5000, 300_000, 2 * Sizes.MiB}) {
                long p = emma.allocate(size);
                Patterns.fill(p, size, 3);
                assertReported(() -> emma.free(p + 16), "free", p + 16);
                assertEquals(-1, Patterns.firstMismatch(p, size, 3), "a reported free must not touch the block");
                emma.free(p);
            }
            assertEquals(0, emma.stats().liveBlocks());
        }
    }

    @Test
    void checksReportForeignFree() {
        try (Emma emma = Emma.create(CHECKS); Arena arena = Arena.ofConfined()) {
            long keep = emma.allocate(64);
            long malloc = ForeignMemory.malloc(64);
            for (long address : new long[] {malloc, arena.allocate(64).address(), 0x1000, -16}) {
                assertReported(() -> emma.free(address), "free", address);
            }
            ForeignMemory.free(malloc);
            emma.free(keep);
            assertHeapConsistent(emma, 64);
        }
    }

    @Test
    void checksReportReallocateAndUsableSizeOfDeadBlocks() {
        try (Emma emma = Emma.create(CHECKS)) {
            long p = emma.allocate(200);
            emma.free(p);
            assertReported(() -> emma.reallocate(p, 400), "reallocate", p);
            assertReported(() -> emma.usableSize(p), "usableSize", p);
            long q = emma.allocate(200);
            assertReported(() -> emma.reallocate(q + 32, 400), "reallocate", q + 32);
            emma.free(q);
            assertEquals(0, emma.stats().liveBlocks());
        }
    }

    private static void assertReported(org.junit.jupiter.api.function.Executable call, String operation, long address) {
        InvalidFreeException e = assertThrows(InvalidFreeException.class, call, operation + "(" + Patterns.hex(address) + ")");
        assertEquals(address, e.address());
        assertEquals(operation, e.operation());
        assertTrue(e.getMessage().contains(Long.toHexString(address)), e.getMessage());
        assertTrue(e.getMessage().contains(operation), e.getMessage());
    }

    /** After bad frees: many new blocks of nearby sizes are distinct, non-overlapping and keep their contents. */
    private static void assertHeapConsistent(Emma emma, long size) {
        long live = emma.stats().liveBlocks();
        LiveRanges ranges = new LiveRanges();
        List<Long> blocks = new ArrayList<>();
        int count = size > Sizes.MiB ? 8 : 256;
        for (int i = 0; i < count; i++) {
            long s = (i % 2 == 0) ? size : Math.max(1, size - 8);
            long p = emma.allocate(s);
            assertNull(ranges.add(p, emma.usableSize(p)), "after bad frees");
            Patterns.fill(p, s, p);
            blocks.add(p);
        }
        for (int i = 0; i < blocks.size(); i++) {
            long p = blocks.get(i);
            long s = (i % 2 == 0) ? size : Math.max(1, size - 8);
            assertEquals(-1, Patterns.firstMismatch(p, s, p), "block " + Patterns.hex(p) + " overwritten");
            emma.free(p);
        }
        assertEquals(live, emma.stats().liveBlocks());
    }
}
