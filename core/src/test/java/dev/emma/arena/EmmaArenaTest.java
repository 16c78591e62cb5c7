package dev.emma.arena;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaArena;
import dev.emma.support.Brief;
import dev.emma.support.Patterns;
import dev.emma.support.Sizes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** EmmaArena is an FFM Arena: zeroed, aligned segments from Emma; the JDK's lifetime and confinement rules. */
class EmmaArenaTest {

    private static final long[] SIZES = {0, 1, 7, 16, 100, 4096, 70_000, 2 * Sizes.MiB};
    private static final long[] ALIGNMENTS = {1, 8, 16, 64, 4096, 65_536};

    @Test
    void segmentsAreZeroedAlignedAndFreedOnClose() {
        try (Emma emma = Emma.create()) {
            int count = 0;
            try (Arena arena = EmmaArena.ofConfined(emma)) {
                for (long size : SIZES) {
                    for (long alignment : ALIGNMENTS) {
                        MemorySegment s = arena.allocate(size, alignment);
                        String what = "allocate(" + size + ", " + alignment + ") = " + s;
                        assertEquals(size, s.byteSize(), what);
                        assertEquals(0, s.address() % alignment, what);
                        assertTrue(emma.owns(s.address()), what);
                        assertEquals(-1, Patterns.firstNonZero(s.address(), size), what + " is not zeroed");
                        s.fill((byte) 0x77); // dirty, so a reused block shows up unzeroed
                        count++;
                    }
                }
                assertEquals(count, emma.stats().liveBlocks(), "one block per segment: " + Brief.of(emma.stats()));
            }
            assertEquals(0, emma.stats().liveBlocks(), "close frees every segment: " + Brief.of(emma.stats()));
            assertEquals(0, emma.stats().invalidFrees(), Brief.of(emma.stats()));
        }
    }

    @Test
    void segmentAllocatorConveniencesWork() {
        try (Emma emma = Emma.create(); Arena arena = EmmaArena.ofShared(emma)) {
            MemorySegment ints = arena.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3, 4);
            assertArrayEquals(new int[] {1, 2, 3, 4}, ints.toArray(ValueLayout.JAVA_INT));
            MemorySegment text = arena.allocateFrom("héllo, Emma");
            assertEquals("héllo, Emma", text.getString(0));
            MemorySegment longs = arena.allocate(ValueLayout.JAVA_LONG, 1000);
            assertEquals(8000, longs.byteSize());
            assertTrue(emma.owns(ints.address()) && emma.owns(text.address()) && emma.owns(longs.address()));
        }
    }

    @Test
    void badArgumentsAreRejected() {
        try (Emma emma = Emma.create(); Arena arena = EmmaArena.ofConfined(emma)) {
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(-1));
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(64, 3));
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(64, 0));
            assertEquals(0, emma.stats().liveBlocks());
        }
    }

    @Test
    void useAfterCloseThrows() {
        try (Emma emma = Emma.create()) {
            Arena arena = EmmaArena.ofConfined(emma);
            MemorySegment s = arena.allocate(64);
            arena.close();
            assertFalse(s.scope().isAlive());
            assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0));
            assertThrows(IllegalStateException.class, () -> s.set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
            assertThrows(IllegalStateException.class, () -> arena.allocate(64));
            assertThrows(IllegalStateException.class, arena::close);
            assertEquals(0, emma.stats().liveBlocks(), Brief.of(emma.stats()));
            assertEquals(0, emma.stats().invalidFrees(), "a second close must not free again: " + Brief.of(emma.stats()));
        }
    }

    @Test
    void confinedArenaBelongsToItsThread() throws Exception {
        try (Emma emma = Emma.create()) {
            Arena arena = EmmaArena.ofConfined(emma);
            MemorySegment s = arena.allocate(64);
            assertWrongThread(() -> s.get(ValueLayout.JAVA_BYTE, 0));
            assertWrongThread(() -> arena.allocate(16));
            assertWrongThread(arena::close);
            assertTrue(s.scope().isAlive(), "a rejected close from another thread must not close");
            s.set(ValueLayout.JAVA_BYTE, 0, (byte) 1); // the owner still can
            arena.close();
            assertEquals(0, emma.stats().liveBlocks());
        }
    }

    @Test
    void sharedArenaServesAllThreadsAndClosesFromAnyOfThem() throws Exception {
        try (Emma emma = Emma.create()) {
            Arena arena = EmmaArena.ofShared(emma);
            ConcurrentLinkedQueue<MemorySegment> segments = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 1000; i++) {
                        MemorySegment s = arena.allocate(16 + i % 200, 16);
                        Patterns.fill(s.address(), s.byteSize(), s.address());
                        segments.add(s);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(4000, segments.size());
            assertEquals(4000, emma.stats().liveBlocks(), Brief.of(emma.stats()));
            for (MemorySegment s : segments) { // written by other threads, read here
                assertEquals(-1, Patterns.firstMismatch(s.address(), s.byteSize(), s.address()));
            }
            CompletableFuture.runAsync(arena::close).get();
            assertTrue(segments.stream().noneMatch(s -> s.scope().isAlive()));
            assertEquals(0, emma.stats().liveBlocks(), Brief.of(emma.stats()));
            assertEquals(0, emma.stats().invalidFrees(), Brief.of(emma.stats()));
        }
    }

    private static void assertWrongThread(Runnable action) throws InterruptedException {
        try {
            CompletableFuture.runAsync(action).get();
            throw new AssertionError("another thread was allowed to use a confined arena");
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof WrongThreadException, "expected WrongThreadException, got " + e.getCause());
        }
    }
}
