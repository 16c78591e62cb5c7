package dev.emma.huge;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * The live huge blocks: mapping base -> block address, in primitive arrays (open addressing,
 * linear probing, backward-shift deletion), so that allocating and freeing a huge block puts
 * nothing on the Java heap. Not thread-safe: {@link HugeBlocks} calls it under its lock.
 */
final class LiveMappings {
    private long[] bases = new long[16];  // 0 = empty slot (no mapping starts at address 0)
    private long[] blocks = new long[16];
    private int size;

    /** The block of the mapping at {@code base}, 0 if none. */
    long get(long base) {
        for (int i = slot(base); ; i = (i + 1) & (bases.length - 1)) {
            if (bases[i] == base) {
                return blocks[i];
            }
            if (bases[i] == 0) {
                return 0;
            }
        }
    }

    void put(long base, long block) {
        if (2 * (size + 1) > bases.length) {
            grow();
        }
        int i = slot(base);
        while (bases[i] != 0 && bases[i] != base) {
            i = (i + 1) & (bases.length - 1);
        }
        if (bases[i] == 0) {
            size++;
        }
        bases[i] = base;
        blocks[i] = block;
    }

    /** Removes the mapping at {@code base} if its block is {@code block}; whether it did. */
    boolean remove(long base, long block) {
        int mask = bases.length - 1;
        int i = slot(base);
        while (bases[i] != base) {
            if (bases[i] == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
        if (blocks[i] != block) {
            return false;
        }
        // Backward shift: move later entries of the probe run into the hole, so lookups never stop early.
        for (int j = (i + 1) & mask; bases[j] != 0; j = (j + 1) & mask) {
            int home = slot(bases[j]);
            if (((j - home) & mask) >= ((j - i) & mask)) {
                bases[i] = bases[j];
                blocks[i] = blocks[j];
                i = j;
            }
        }
        bases[i] = 0;
        blocks[i] = 0;
        size--;
        return true;
    }

    int size() {
        return size;
    }

    void forEachBase(LongConsumer action) {
        for (long base : bases.clone()) {
            if (base != 0) {
                action.accept(base);
            }
        }
    }

    void clear() {
        Arrays.fill(bases, 0);
        Arrays.fill(blocks, 0);
        size = 0;
    }

    private int slot(long base) {
        // Bases are 4 MiB aligned: mix the granule number so neighbours spread.
        long h = (base >>> 22) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (bases.length - 1);
    }

    private void grow() {
        long[] oldBases = bases;
        long[] oldBlocks = blocks;
        bases = new long[oldBases.length * 2];
        blocks = new long[oldBases.length * 2];
        size = 0;
        for (int i = 0; i < oldBases.length; i++) {
            if (oldBases[i] != 0) {
                put(oldBases[i], oldBlocks[i]);
            }
        }
    }
}
