package dev.emma.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaStats;
import dev.emma.InvalidFreeException;
import dev.emma.support.Brief;
import dev.emma.support.Patterns;
import dev.emma.support.Sizes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The reference model of one instance: which blocks are live, their usable sizes, and the tag of
 * the pattern each holds. Every operation is applied to Emma and to the model, then compared.
 */
final class HeapModel {

    private record Block(long address, long size, long usable, long tag) {
        long end() {
            return address + usable;
        }
    }

    private enum Op { ALLOCATE, ALLOCATE_ZEROED, REALLOCATE, FREE, USABLE_SIZE, OWNS, DOUBLE_FREE, INTERIOR_FREE, STATS }

    private static final Op[] WEIGHTED = weighted();

    private final Emma emma;
    private final long seed;
    private final SplittableRandom random;
    private final TreeMap<Long, Block> live = new TreeMap<>();
    private final List<Long> liveAddresses = new ArrayList<>(); // for random picks
    private final Deque<Long> dead = new ArrayDeque<>();       // freed, not live again (yet)
    private long expectedInvalidFrees;
    private long nextTag = 1;
    private int step;
    private Op op;

    HeapModel(Emma emma, long seed) {
        this.emma = emma;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    void run(int operations) {
        try {
            for (step = 0; step < operations; step++) {
                op = live.size() >= 100 ? Op.FREE : WEIGHTED[random.nextInt(WEIGHTED.length)];
                if (live.isEmpty() && op != Op.ALLOCATE_ZEROED) {
                    op = Op.ALLOCATE;
                }
                apply(op);
            }
            op = Op.FREE;
            while (!live.isEmpty()) {
                free(pick());
            }
            checkStats();
            assertEquals(0, emma.stats().liveBlocks(), where());
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(where() + ": " + e.getMessage(), e);
        }
    }

    private String where() {
        return "seed " + seed + ", step " + step + " (" + op + ")";
    }

    private void apply(Op op) {
        switch (op) {
            case ALLOCATE -> {
                long size = randomSize();
                add(emma.allocate(size), size, false);
            }
            case ALLOCATE_ZEROED -> {
                long size = randomSize();
                add(emma.allocateZeroed(size), size, true);
            }
            case REALLOCATE -> reallocate();
            case FREE -> free(pick());
            case USABLE_SIZE -> {
                Block b = pick();
                assertEquals(b.usable(), emma.usableSize(b.address()), "usableSize changed");
            }
            case OWNS -> {
                Block b = pick();
                long inside = b.address() + random.nextLong(b.usable());
                assertTrue(emma.owns(inside), "owns(" + Patterns.hex(inside) + ") in " + b);
            }
            case DOUBLE_FREE -> {
                if (!dead.isEmpty()) {
                    badFree(dead.peekLast());
                }
            }
            case INTERIOR_FREE -> {
                Block b = pick();
                if (b.usable() > 1) {
                    badFree(b.address() + 1 + random.nextLong(b.usable() - 1));
                }
            }
            case STATS -> checkStats();
        }
    }

    private void reallocate() {
        if (random.nextInt(20) == 0) {
            long size = randomSize();
            add(emma.reallocate(0, size), size, false);
            return;
        }
        Block b = pick();
        if (random.nextInt(10) == 0) {
            checkContents(b);
            assertEquals(0, emma.reallocate(b.address(), 0), "reallocate to 0 returns 0");
            remove(b);
            return;
        }
        long size = randomSize();
        long q = emma.reallocate(b.address(), size);
        long kept = Math.min(b.size(), size);
        long bad = Patterns.firstMismatch(q, kept, b.tag());
        assertEquals(-1, bad, "reallocate(" + b + ", " + size + ") = " + Patterns.hex(q) + " lost contents at " + bad);
        remove(b); // its address is dead now, unless the new block starts there (add revives it)
        add(q, size, false);
    }

    private void free(Block b) {
        checkContents(b);
        emma.free(b.address());
        remove(b);
    }

    /** Reported with checks, ignored without; counted in invalidFrees either way. */
    private void badFree(long address) {
        if (emma.config().checks()) {
            InvalidFreeException e = assertThrows(InvalidFreeException.class, () -> emma.free(address),
                    "free(" + Patterns.hex(address) + ") of no live block");
            assertEquals(address, e.address());
        } else {
            emma.free(address);
        }
        expectedInvalidFrees++;
    }

    private void add(long address, long size, boolean zeroed) {
        String what = "block " + Patterns.hex(address) + " of " + size + " B";
        assertTrue(address != 0 && (address & 15) == 0, what + ": null or misaligned");
        assertTrue(emma.owns(address), what + ": not owned");
        long usable = emma.usableSize(address);
        assertTrue(usable >= size, what + ": usableSize " + usable);
        Map.Entry<Long, Block> below = live.floorEntry(address);
        assertTrue(below == null || below.getValue().end() <= address, what + " overlaps " + (below == null ? "" : below.getValue()));
        Map.Entry<Long, Block> above = live.ceilingEntry(address);
        assertTrue(above == null || above.getKey() >= address + usable, what + " overlaps " + (above == null ? "" : above.getValue()));
        if (zeroed) {
            long bad = Patterns.firstNonZero(address, size);
            assertEquals(-1, bad, what + ": allocateZeroed left a non-zero byte at " + bad);
        }
        long tag = nextTag++ * 0x9E3779B97F4A7C15L;
        Patterns.fill(address, size, tag);
        Block b = new Block(address, size, usable, tag);
        live.put(address, b);
        liveAddresses.add(address);
        dead.remove(address); // reused: a free of it is valid again
    }

    private void remove(Block b) {
        live.remove(b.address());
        liveAddresses.remove(b.address());
        dead.addLast(b.address());
        if (dead.size() > 64) {
            dead.removeFirst();
        }
    }

    private void checkContents(Block b) {
        long bad = Patterns.firstMismatch(b.address(), b.size(), b.tag());
        assertEquals(-1, bad, b + " was overwritten at offset " + bad);
    }

    private void checkStats() {
        EmmaStats stats = emma.stats();
        assertEquals(live.size(), stats.liveBlocks(), "liveBlocks: " + Brief.of(stats));
        long usable = live.values().stream().mapToLong(Block::usable).sum();
        assertEquals(usable, stats.liveBytes(), "liveBytes are the usable bytes of live blocks: " + Brief.of(stats));
        assertEquals(expectedInvalidFrees, stats.invalidFrees(), "invalidFrees: " + Brief.of(stats));
    }

    private Block pick() {
        return live.get(liveAddresses.get(random.nextInt(liveAddresses.size())));
    }

    /** Mostly small, some medium and large, a few huge: every tier and its edges. */
    private long randomSize() {
        int r = random.nextInt(100);
        if (r < 55) {
            return Sizes.logUniform(random, 1, 1024);
        } else if (r < 80) {
            return Sizes.logUniform(random, 1025, 64 * Sizes.KiB);
        } else if (r < 97) {
            return Sizes.logUniform(random, 64 * Sizes.KiB, Sizes.MiB);
        }
        return Sizes.logUniform(random, Sizes.MiB + 1, 4 * Sizes.MiB);
    }

    private static Op[] weighted() {
        List<Op> ops = new ArrayList<>();
        int[] weights = {25, 10, 20, 20, 6, 6, 4, 4, 5};
        for (Op o : Op.values()) {
            for (int i = 0; i < weights[o.ordinal()]; i++) {
                ops.add(o);
            }
        }
        return ops.toArray(Op[]::new);
    }
}
