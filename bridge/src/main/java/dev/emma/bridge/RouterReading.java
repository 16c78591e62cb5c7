package dev.emma.bridge;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the router counted, read once: each counter is summed once, so the figures are a moment
 * old and not taken at one instant (as any set of statistics read while threads run).
 *
 * @param mode                 the router's mode
 * @param fallbacks            allocations Emma could not serve, served natively instead
 * @param failedFrees          frees of Emma memory that Emma rejected (reported, never thrown)
 * @param foreignFrees         frees of memory Emma did not hand out (allocated natively, before activation or by other code)
 * @param reallocations        reallocations of a live block
 * @param nativeAllocations    emma mode: allocations the instrumented routes served natively while active
 * @param nativeBytes          emma mode: their requested bytes
 * @param emmaUncountedBytes   requested bytes Emma served that its size-class statistics do not count: huge blocks
 *                             (over 1 MiB), which the core counts only as blocks, and reallocations other than a
 *                             move into a size class (each counts its new size, as in passthrough mode)
 * @param internalAllocations  emma mode: allocations through the JDK's internal Unsafe itself (the JDK's own code
 *                             and FFM arenas), see {@code RouteCounters.internalAllocations}
 * @param internalBytes        their requested bytes
 * @param uncoveredAllocations Linker downcalls to libc's allocator outside the routed scope (they stay native)
 * @param uncoveredBytes       their requested bytes
 * @param routes               per route the agent sees both ends of (direct buffers, FFM, Linker): allocations and bytes
 *                             (exact for direct buffers and FFM; estimated from the sample for Linker downcalls)
 * @param sample               passthrough mode's estimates for every native block, or null in the other modes
 * @param applicationSample    passthrough mode's estimates for the blocks allocated through {@code sun.misc.Unsafe}
 */
public record RouterReading(RouteMode mode, long fallbacks, long failedFrees, long foreignFrees, long reallocations,
                            long nativeAllocations, long nativeBytes, long emmaUncountedBytes,
                            long internalAllocations, long internalBytes, long uncoveredAllocations, long uncoveredBytes,
                            Map<Route, RouteFigures> routes, SampleFigures sample, SampleFigures applicationSample) {

    /**
     * @param allocations allocations since activation
     * @param bytes       their requested bytes
     * @param liveBytes   bytes of those not freed yet
     */
    public record RouteFigures(long allocations, long bytes, long liveBytes) {
    }

    /**
     * Passthrough mode's estimates from its sample (see {@link SampledBlocks}).
     *
     * @param liveBytes      requested bytes of live blocks allocated while active
     * @param liveBlocks     those blocks
     * @param allocatedBytes requested bytes allocated since activation
     * @param allocations    allocations since activation
     * @param frees          frees of blocks allocated while active
     */
    public record SampleFigures(long liveBytes, long liveBlocks, long allocatedBytes, long allocations, long frees) {
    }

    static RouterReading of(RouteMode mode, RouteCounters counters, SampledBlocks sampled) {
        Map<Route, RouteFigures> routes = new EnumMap<>(Route.class);
        for (Route route : new Route[] {Route.DIRECT, Route.FFM}) {
            RouteCounters.PerRoute figures = counters.route(route);
            routes.put(route, new RouteFigures(figures.allocations.sum(), figures.bytes.sum(), figures.liveBytes()));
        }
        if (sampled != null) {
            SampleFigures linker = sampled.read(SampledBlocks.LINKER);
            routes.put(Route.LINKER, new RouteFigures(linker.allocations(), linker.allocatedBytes(), linker.liveBytes()));
        }
        boolean passthrough = mode == RouteMode.PASSTHROUGH;
        return new RouterReading(mode, counters.fallbacks.sum(), counters.failedFrees.sum(), counters.foreignFrees.sum(),
                counters.reallocations.sum(), counters.nativeAllocations.sum(), counters.nativeBytes.sum(),
                counters.emmaUncountedBytes.sum(), counters.internalAllocations.sum(), counters.internalBytes.sum(),
                counters.uncoveredAllocations.sum(), counters.uncoveredBytes.sum(), Map.copyOf(routes),
                passthrough ? sampled.read(-1) : null, passthrough ? sampled.read(SampledBlocks.APPLICATION) : null);
    }

    public RouteFigures route(Route route) {
        return routes.getOrDefault(route, new RouteFigures(0, 0, 0));
    }
}
