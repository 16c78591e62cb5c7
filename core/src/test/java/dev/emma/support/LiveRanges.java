package dev.emma.support;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The address ranges of all live blocks, shared by all threads of a test. {@link #add} rejects a
 * block that is unaligned or overlaps a live one. Each thread inserts before it looks at the
 * neighbours, and the map's operations are linearizable, so of two overlapping blocks inserted at
 * the same time at least one sees the other.
 */
public final class LiveRanges {
    private final ConcurrentSkipListMap<Long, Long> endByStart = new ConcurrentSkipListMap<>();

    /**
     * Registers {@code [start, start + length)}.
     *
     * @return null if the block is fine, else what is wrong with it (then it is not registered)
     */
    public String add(long start, long length) {
        if (start == 0) {
            return "allocation returned 0 for " + length + " bytes";
        }
        if ((start & 15) != 0) {
            return "block " + Patterns.hex(start) + " (" + length + " B) is not 16-byte aligned";
        }
        long end = start + length;
        Long clash = endByStart.putIfAbsent(start, end);
        if (clash != null) {
            return overlap(start, end, start, clash);
        }
        Map.Entry<Long, Long> below = endByStart.lowerEntry(start);
        if (below != null && below.getValue() > start) {
            endByStart.remove(start, end);
            return overlap(start, end, below.getKey(), below.getValue());
        }
        Map.Entry<Long, Long> above = endByStart.higherEntry(start);
        if (above != null && above.getKey() < end) {
            endByStart.remove(start, end);
            return overlap(start, end, above.getKey(), above.getValue());
        }
        return null;
    }

    public void remove(long start) {
        endByStart.remove(start);
    }

    public int size() {
        return endByStart.size();
    }

    private static String overlap(long start, long end, long otherStart, long otherEnd) {
        return "block [" + Patterns.hex(start) + ", " + Patterns.hex(end) + ") overlaps live block ["
                + Patterns.hex(otherStart) + ", " + Patterns.hex(otherEnd) + ")";
    }
}
