package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random routed operations (Unsafe, direct buffers, Linker malloc/calloc/realloc/free) across every tier on the real core; contents kept, zeroed memory zero, 16-byte alignment. */
class RoutesFuzzTest {

    private static final long[] SIZES = {1, 8, 15, 16, 17, 100, 128, 129, 4096, 8192, 8193, 32768, 32769, 65536, 65537,
            300_000, 1 << 20, (1 << 20) + 1, 3 << 20, 5 << 20};

    private static MemorySegment at(long address, long size) {
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    @Test
    void randomRoutedOperationsKeepTheContracts() {
        try (Emma emma = Emma.create(EmmaConfig.defaults())) {
            Router router = Router.emma(new EmmaBlocks(emma), (w, c) -> { throw new AssertionError(w, c); });
            Random random = new Random(Long.getLong("routes.seed", 42));
            List<long[]> live = new ArrayList<>(); // {address, size, seed}
            for (int step = 0; step < Integer.getInteger("routes.steps", 4000); step++) {
                int op = random.nextInt(6);
                long size = SIZES[random.nextInt(SIZES.length)];
                if (op <= 1 || live.isEmpty()) {
                    long address = switch (random.nextInt(4)) {
                        case 0 -> router.allocate(size);
                        case 1 -> router.allocateDirectZeroed(size);
                        case 2 -> router.linkerAllocate(size, 0, true);
                        default -> router.linkerAllocate(size, 0, false);
                    };
                    assertEquals(0, address & 15, "16-byte aligned");
                    live.add(fill(address, size, random.nextInt()));
                } else if (op <= 3) {
                    long[] b = live.get(random.nextInt(live.size()));
                    check(b, Math.min(b[1], size));
                    long moved = random.nextBoolean() ? router.reallocate(b[0], size) : router.linkerReallocate(b[0], size);
                    assertTrue(router.owns(moved));
                    assertEquals(0, moved & 15);
                    long[] after = {moved, Math.min(b[1], size), b[2]};
                    check(after, after[1]);
                    live.remove(b);
                    live.add(fill(moved, size, random.nextInt()));
                } else {
                    long[] b = live.remove(random.nextInt(live.size()));
                    check(b, b[1]);
                    assertTrue(random.nextBoolean() ? router.free(b[0]) : router.linkerFree(b[0]));
                }
            }
            for (long[] b : live) {
                router.free(b[0]);
            }
            // allocateDirectZeroed / calloc memory after all the dirt above
            for (long size : SIZES) {
                for (int i = 0; i < 8; i++) {
                    long z = i % 2 == 0 ? router.allocateDirectZeroed(size) : router.linkerAllocate(size, 0, true);
                    MemorySegment s = at(z, size);
                    for (long o = 0; o < size; o++) {
                        if (s.get(ValueLayout.JAVA_BYTE, o) != 0) {
                            throw new AssertionError("dirty zeroed block of " + size + " at offset " + o);
                        }
                    }
                    router.free(z);
                }
            }
        }
    }

    private static long[] fill(long address, long size, int seed) {
        MemorySegment s = at(address, size);
        for (long o = 0; o < size; o += 7) {
            s.set(ValueLayout.JAVA_BYTE, o, (byte) (seed + o));
        }
        return new long[] {address, size, seed};
    }

    private static void check(long[] b, long upTo) {
        MemorySegment s = at(b[0], upTo);
        for (long o = 0; o < upTo; o += 7) {
            if (s.get(ValueLayout.JAVA_BYTE, o) != (byte) (b[2] + o)) {
                throw new AssertionError("lost byte at " + o + " of a block of " + b[1]);
            }
        }
    }
}
