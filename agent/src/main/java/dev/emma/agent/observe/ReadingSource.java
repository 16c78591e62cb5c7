package dev.emma.agent.observe;

import dev.emma.Emma;
import dev.emma.EmmaStats;
import dev.emma.bridge.Route;
import dev.emma.bridge.RouteMode;
import dev.emma.bridge.Router;
import dev.emma.bridge.RouterReading;
import dev.emma.bridge.DirectPool;
import java.util.function.Supplier;

/**
 * Makes {@link AllocatorReading}s from the active router's counters and, in emma mode, Emma's own
 * statistics. Created when the agent becomes active: the direct-buffer pool's size at that moment
 * is what was allocated natively before activation.
 */
public final class ReadingSource implements Supplier<AllocatorReading> {

    private final Router router;
    private final Supplier<Emma> emma;
    private final long beforeActivation;

    /** @param emma the instance the router allocates from; null in passthrough mode */
    public ReadingSource(Router router, Emma emma) {
        this(router, new Fixed(emma));
    }

    /** @param emma the instance the router allocates from once it started, else null (a reading never starts it) */
    public ReadingSource(Router router, Supplier<Emma> emma) {
        this(router, emma, router.mode() == RouteMode.INACTIVE ? 0 : directPoolBytes());
    }

    /** Cheaply from the bridge; through JMX only where the bridge is not the agent's boot module (tests). */
    private static long directPoolBytes() {
        long bytes = DirectPool.bytesInUse();
        if (bytes >= 0) {
            return bytes;
        }
        for (java.lang.management.BufferPoolMXBean pool
                : java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return Math.max(0, pool.getMemoryUsed());
            }
        }
        return 0;
    }

    /**
     * @param beforeActivation the direct-buffer pool's bytes when the routing became active: what
     *                         was allocated natively before (read cheaply, {@link DirectPool}, not through JMX)
     */
    public ReadingSource(Router router, Supplier<Emma> emma, long beforeActivation) {
        this.router = router;
        this.emma = emma;
        this.beforeActivation = beforeActivation;
    }

    private record Fixed(Emma emma) implements Supplier<Emma> {
        @Override
        public Emma get() {
            return emma;
        }
    }

    @Override
    public AllocatorReading get() {
        RouterReading r = router.reading();
        RouterReading.RouteFigures direct = r.route(Route.DIRECT);
        RouterReading.RouteFigures ffm = r.route(Route.FFM);
        RouterReading.RouteFigures linker = r.route(Route.LINKER);
        long emmaBytes = 0;
        long nativeBytes = r.uncoveredBytes() + beforeActivation;
        long live;
        long liveBlocks;
        long mapped = 0;
        long resident = 0;
        long returned = 0;
        long returnFailures = 0;
        Emma emma = this.emma.get();
        long allocations;
        long frees;
        long jdkAllocations;
        long jdkBytes;
        long unsafeAllocations;
        long unsafeLive;
        if (r.mode() == RouteMode.EMMA && emma != null) {
            EmmaStats stats = emma.stats();
            emmaBytes = classBytes(stats) + r.emmaUncountedBytes();
            nativeBytes += r.nativeBytes();
            live = stats.liveBytes();
            liveBlocks = stats.liveBlocks();
            mapped = stats.mappedBytes();
            resident = emma.residentBytes();
            returned = stats.purgedBytes();
            returnFailures = stats.returnFailures();
            allocations = stats.totalAllocations() + r.nativeAllocations() + r.uncoveredAllocations();
            frees = stats.totalFrees() + r.foreignFrees();
            // FFM arenas call the internal Unsafe too: their exact count is taken out
            jdkAllocations = Math.max(0, r.internalAllocations() - ffm.allocations());
            jdkBytes = Math.max(0, r.internalBytes() - ffm.bytes());
            unsafeAllocations = Math.max(0, allocations - direct.allocations() - ffm.allocations() - linker.allocations()
                    - jdkAllocations - r.uncoveredAllocations());
            unsafeLive = Math.max(0, live - direct.liveBytes() - ffm.liveBytes() - linker.liveBytes());
        } else if (r.sample() != null) {
            RouterReading.SampleFigures sample = r.sample();
            nativeBytes += sample.allocatedBytes();
            live = sample.liveBytes();
            liveBlocks = sample.liveBlocks();
            allocations = sample.allocations() + r.uncoveredAllocations();
            frees = sample.frees();
            RouterReading.SampleFigures application = r.applicationSample();
            unsafeAllocations = application.allocations();
            unsafeLive = application.liveBytes();
            // the internal Unsafe's own callers: what is left of the sample once the other routes are taken out
            jdkAllocations = Math.max(0, sample.allocations() - application.allocations() - linker.allocations()
                    - direct.allocations() - ffm.allocations());
            jdkBytes = Math.max(0, sample.allocatedBytes() - application.allocatedBytes() - linker.bytes()
                    - direct.bytes() - ffm.bytes());
        } else {
            live = liveBlocks = allocations = frees = jdkAllocations = jdkBytes = unsafeAllocations = unsafeLive = 0;
        }
        long total = emmaBytes + nativeBytes;
        double share = total == 0 ? 0 : (double) emmaBytes / total;
        return new AllocatorReading(r.mode().optionValue(), share, emmaBytes, nativeBytes, beforeActivation,
                r.uncoveredBytes(), live, liveBlocks, mapped, resident, returned, returnFailures, allocations, r.reallocations(), frees,
                r.foreignFrees(), r.fallbacks(), r.failedFrees(),
                direct.allocations(), direct.liveBytes(), ffm.allocations(), ffm.liveBytes(),
                linker.allocations(), linker.liveBytes(),
                unsafeAllocations, unsafeLive, jdkAllocations, jdkBytes);
    }

    /** Usable bytes Emma handed out in its size classes (blocks up to 1 MiB): allocations times block size. */
    private static long classBytes(EmmaStats stats) {
        long bytes = 0;
        for (EmmaStats.SizeClassStats c : stats.sizeClasses()) {
            bytes += c.blockSize() * c.allocations(); // huge blocks have block size 0: counted by the router
        }
        return bytes;
    }
}
