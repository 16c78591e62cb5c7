package dev.emma.agent.observe;

import dev.emma.Emma;
import dev.emma.EmmaStats;
import dev.emma.bridge.RouteMode;
import dev.emma.bridge.RouteCounters;
import dev.emma.bridge.Router;
import java.util.function.Supplier;

/** Makes {@link AllocatorReading}s from the active router and, in emma mode, Emma's own statistics. */
public final class ReadingSource implements Supplier<AllocatorReading> {

    private final Router router;
    private final Supplier<Emma> emma;

    /** @param emma the instance the router allocates from; null in passthrough mode */
    public ReadingSource(Router router, Emma emma) {
        this(router, new Fixed(emma));
    }

    /** @param emma the instance the router allocates from once it started, else null (a reading never starts it) */
    public ReadingSource(Router router, Supplier<Emma> emma) {
        this.router = router;
        this.emma = emma;
    }

    private record Fixed(Emma emma) implements Supplier<Emma> {
        @Override
        public Emma get() {
            return emma;
        }
    }

    @Override
    public AllocatorReading get() {
        RouteCounters.Snapshot counters = router.counters();
        long liveBytes;
        long liveBlocks;
        long mapped = 0;
        long resident = 0;
        Emma emma = this.emma.get();
        if (router.mode() == RouteMode.EMMA && emma != null) {
            EmmaStats stats = emma.stats();
            liveBytes = stats.liveBytes();
            liveBlocks = stats.liveBlocks();
            mapped = stats.mappedBytes();
            resident = emma.residentBytes();
        } else {
            Router.NativeLive live = router.nativeLive();
            liveBytes = live.bytes();
            liveBlocks = live.blocks();
        }
        return new AllocatorReading(router.mode().optionValue(), liveBytes, liveBlocks, mapped, resident,
                counters.allocations(), counters.reallocations(), counters.frees(), counters.foreignFrees(),
                counters.directBuffers(), counters.otherUnsafe(), counters.segments(), counters.fallbacks());
    }
}
