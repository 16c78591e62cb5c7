package dev.emma.bridge;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the instrumented JDK code did, counted the same way in every mode so that the two arms of
 * an A/B experiment report comparable numbers. Contention-free increments on the hot path.
 */
public final class RouteCounters {
    final LongAdder allocations = new LongAdder();
    final LongAdder reallocations = new LongAdder();
    final LongAdder frees = new LongAdder();
    final LongAdder foreignFrees = new LongAdder();
    final LongAdder directBuffers = new LongAdder();
    final LongAdder segments = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    final LongAdder failedFrees = new LongAdder();

    /** A consistent-enough copy: each counter is read once. */
    public Snapshot snapshot() {
        long total = allocations.sum();
        long direct = directBuffers.sum();
        long ffm = segments.sum();
        return new Snapshot(total, reallocations.sum(), frees.sum(), foreignFrees.sum(), direct, ffm,
                Math.max(0, total - direct - ffm), fallbacks.sum(), failedFrees.sum());
    }

    /**
     * @param allocations        allocations that returned memory (every path, reallocations of address 0 included)
     * @param reallocations      reallocations of a live block
     * @param frees              frees of a non-zero address (the agent's own and foreign ones)
     * @param foreignFrees       frees of memory the routed allocator did not hand out
     *                           (allocated before the agent was installed, or by other code)
     * @param directBuffers      allocations for {@code ByteBuffer.allocateDirect}
     * @param segments           allocations for FFM arenas ({@code Arena.allocate})
     * @param otherUnsafe        the remaining allocations: {@code sun.misc.Unsafe} and other direct callers
     * @param fallbacks          allocations Emma could not serve, served by the native allocator instead
     * @param failedFrees        frees of Emma memory that Emma rejected (reported, never thrown)
     */
    public record Snapshot(long allocations, long reallocations, long frees, long foreignFrees,
                           long directBuffers, long segments, long otherUnsafe, long fallbacks, long failedFrees) {
    }
}
