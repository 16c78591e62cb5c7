package dev.emma.bridge;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the router keeps itself. Only events off the hot path are counted here: a
 * {@code LongAdder} increment is a CAS, which would cost the plain {@code Unsafe} path a tenth of
 * its time. What the hot path does is counted by the core (emma mode, per thread heap) or by
 * {@link SampledBlocks} (passthrough). The paths counted here are either rare (fallbacks, foreign
 * frees) or carry heavier JDK work of their own (direct buffers and FFM arenas update the JDK's
 * own atomic accounting; a Linker downcall crosses into native code).
 */
final class RouteCounters {
    final LongAdder fallbacks = new LongAdder();
    final LongAdder failedFrees = new LongAdder();
    final LongAdder foreignFrees = new LongAdder();
    final LongAdder reallocations = new LongAdder();
    /** Emma mode: allocations the instrumented routes served natively while active, and their requested bytes. */
    final LongAdder nativeAllocations = new LongAdder();
    final LongAdder nativeBytes = new LongAdder();
    /**
     * Requested bytes Emma served that the core's size-class statistics miss: huge blocks (over 1 MiB;
     * the core counts those blocks but not their bytes) and reallocations (see {@code Router.countReallocated}).
     */
    final LongAdder emmaUncountedBytes = new LongAdder();
    /**
     * Emma mode: allocations that reached {@code jdk.internal.misc.Unsafe.allocateMemory} itself, not
     * through {@code sun.misc.Unsafe} or a direct buffer: the JDK's own code and FFM arenas (whose
     * exact count is subtracted when read), and the rare retry of a fallback. Paths with a native
     * call of their own beside it (NIO), so the adder is noise there.
     */
    final LongAdder internalAllocations = new LongAdder();
    final LongAdder internalBytes = new LongAdder();
    /** Linker downcalls to libc's allocator by callers outside the routed scope: memory that stayed native. */
    final LongAdder uncoveredAllocations = new LongAdder();
    final LongAdder uncoveredBytes = new LongAdder();
    private final Map<Route, PerRoute> routes = new EnumMap<>(Route.class);

    RouteCounters() {
        for (Route route : Route.values()) {
            routes.put(route, new PerRoute());
        }
    }

    PerRoute route(Route route) {
        return routes.get(route);
    }

    /** Allocations, requested bytes and freed bytes on a route the agent sees both ends of. */
    static final class PerRoute {
        final LongAdder allocations = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder freedBytes = new LongAdder();

        void allocated(long size) {
            allocations.increment();
            bytes.add(size);
        }

        /** One of the route's blocks changed size (in place or moved). */
        void resized(long before, long after) {
            if (after > before) {
                bytes.add(after - before);
            } else {
                freedBytes.add(before - after);
            }
        }

        /** Live bytes of blocks allocated while active; never below zero (a block from before activation may be freed). */
        long liveBytes() {
            return Math.max(0, bytes.sum() - freedBytes.sum());
        }
    }
}
