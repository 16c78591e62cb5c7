package dev.emma;

import java.util.List;

/**
 * Counters of one instance, aggregated when read (the hot path only bumps thread-owned fields).
 * Bytes are usable bytes: a block's size class, not the size that was asked for.
 *
 * @param liveBytes        bytes in live blocks
 * @param liveBlocks       live blocks
 * @param mappedBytes      bytes currently mapped by this instance (segments and huge blocks)
 * @param peakMappedBytes  the highest {@code mappedBytes} seen
 * @param totalAllocations blocks allocated since creation (reallocations that moved count once)
 * @param totalFrees       blocks freed since creation
 * @param invalidFrees     bad frees detected (double, interior, foreign, and reallocate of a
 *                         non-block), in both modes; the heap was left untouched by each
 * @param purgedBytes      bytes returned to the OS with madvise or munmap since creation (a page
 *                         returned again, as part of a whole segment, counts again)
 * @param returnFailures   purges (background or {@link Emma#trim()}) in which a madvise or munmap
 *                         that returns memory failed: that memory stayed mapped and in use by
 *                         Emma, and a later purge tries again; 0 unless the kernel refused
 * @param segments         4 MiB segments mapped now
 * @param hugeBlocks       blocks mapped on their own now
 * @param heaps            heaps in use (thread heaps and shared heaps)
 * @param sizeClasses      per size class: block size, live blocks, allocations
 */
public record EmmaStats(long liveBytes, long liveBlocks, long mappedBytes, long peakMappedBytes,
                        long totalAllocations, long totalFrees, long invalidFrees, long purgedBytes, long returnFailures,
                        long segments, long hugeBlocks, int heaps, List<SizeClassStats> sizeClasses) {

    /** Counters of one size class; {@code blockSize} 0 stands for huge blocks. */
    public record SizeClassStats(long blockSize, long liveBlocks, long allocations) {
    }
}
