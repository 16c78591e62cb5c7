package dev.emma.heap;

import dev.emma.huge.HugeBlocks;
import dev.emma.memory.Memory;
import dev.emma.os.Syscalls;
import dev.emma.segment.Layout;
import dev.emma.segment.SegmentPool;

/**
 * Measures how much of an instance's mappings is resident, with {@code mincore}, without holding
 * the locks that allocation takes (the pool's, the huge blocks'): the mappings are listed under
 * them and measured after. A huge block freed in between answers ENOMEM (nothing), or, if its
 * range was mapped again meanwhile, what that mapping holds: a reading a moment old either way.
 */
final class ResidentPages {
    private ResidentPages() {
    }

    static long measure(SegmentPool pool, HugeBlocks huge, long pageSize) {
        // One vector byte per page; a vector for one 4 MiB granule at a time, in memory we map.
        long vectorLength = Layout.SEGMENT_SIZE / pageSize;
        long vector = Syscalls.mmap(0, vectorLength, Syscalls.PROT_READ_WRITE, 0);
        try {
            java.util.function.LongBinaryOperator count = (base, length) -> {
                long resident = 0;
                for (long at = base; at < base + length; at += Layout.SEGMENT_SIZE) {
                    long chunk = Math.min(Layout.SEGMENT_SIZE, base + length - at);
                    if (!Syscalls.mincoreIfMapped(at, chunk, vector)) {
                        continue; // a huge block freed (unmapped) since it was listed holds nothing
                    }
                    for (long i = 0; i < chunk / pageSize; i++) {
                        resident += Memory.getByte(vector + i) & 1;
                    }
                }
                return resident * pageSize;
            };
            return pool.sumOverSegments(count) + huge.sumOverMappings(count);
        } finally {
            Syscalls.munmap(vector, vectorLength);
        }
    }
}
