package dev.emma.support;

import dev.emma.EmmaStats;

/** Statistics for failure messages: the totals, and only the size classes that saw allocations. */
public final class Brief {
    private Brief() {
    }

    public static String of(EmmaStats s) {
        StringBuilder b = new StringBuilder("EmmaStats[liveBytes=").append(s.liveBytes())
                .append(", liveBlocks=").append(s.liveBlocks())
                .append(", mappedBytes=").append(s.mappedBytes())
                .append(", peakMappedBytes=").append(s.peakMappedBytes())
                .append(", totalAllocations=").append(s.totalAllocations())
                .append(", totalFrees=").append(s.totalFrees())
                .append(", invalidFrees=").append(s.invalidFrees())
                .append(", purgedBytes=").append(s.purgedBytes())
                .append(", segments=").append(s.segments())
                .append(", hugeBlocks=").append(s.hugeBlocks())
                .append(", heaps=").append(s.heaps())
                .append(", classes used {");
        for (EmmaStats.SizeClassStats c : s.sizeClasses()) {
            if (c.allocations() != 0 || c.liveBlocks() != 0) {
                b.append(' ').append(c.blockSize() == 0 ? "huge" : c.blockSize()).append(": ")
                        .append(c.liveBlocks()).append(" live/").append(c.allocations());
            }
        }
        return b.append(" }]").toString();
    }
}
