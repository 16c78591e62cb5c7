package dev.emma.bridge.sites;

import dev.emma.bridge.Route;
import dev.emma.bridge.SampleHook;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Byte-weighted sampling of the router's allocations ({@link SampleInterval}), handing each sample
 * to a {@link SampleSink} and, when asked to, remembering the sampled blocks until their free
 * ({@link LiveSamples}), so that the sink can keep live bytes by site.
 *
 * <p>Cost on the paths it watches: an allocation draws one random number from the thread's own
 * generator (no shared write) and compares it; a free, with live blocks remembered, hashes its
 * address and reads one slot. Only a sample does real work.
 *
 * <p>Never throws, and never lets a sample in while the same thread is inside the sink (the sink's
 * own work may allocate off-heap memory, e.g. JFR's buffers or the JDK's temporary direct buffers).
 */
public final class SiteSampler implements SampleHook {

    private final SampleSink sink;
    private final LiveSamples live;
    private final SampleInterval interval = new SampleInterval();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Per thread, whether it is inside the sink now; touched only by samples. */
    private final ThreadLocal<boolean[]> inSink = ThreadLocal.withInitial(InSink.INSTANCE);

    /**
     * @param trackLive whether sampled blocks are remembered until freed (the sites table); without it
     *                  frees cost nothing (samples only, e.g. for JFR events)
     */
    public SiteSampler(SampleSink sink, boolean trackLive) {
        this.sink = sink;
        this.live = trackLive ? new LiveSamples() : null;
        inSink.get(); // loads ThreadLocal's classes now, not inside an instrumented JDK method
    }

    @Override
    public void allocated(long address, long size, Route route, boolean emma) {
        long mean = interval.bytes();
        if (size <= 0 || size < mean && (ThreadLocalRandom.current().nextLong() & (mean - 1)) >= size) {
            return;
        }
        sample(address, size, Math.max(size, mean), route, emma);
    }

    /** The rare path, apart so that the common one stays small enough to inline. */
    private void sample(long address, long size, long weight, Route route, boolean emma) {
        boolean[] busy;
        try {
            busy = inSink.get();
        } catch (Throwable e) {
            failures.incrementAndGet();
            return;
        }
        if (busy[0]) {
            return; // the sink's own allocation: not the application's
        }
        busy[0] = true;
        try {
            interval.sampled(System.nanoTime());
            samples.incrementAndGet();
            Object site = sink.sampled(size, weight, route, emma);
            if (live != null && site != null && !live.put(address, site, weight, sink)) {
                // Dropped (its probes all taken, counted in lost()): its free will find nothing to
                // give back, so the weight the sink just added goes back now.
                sink.released(site, weight);
            }
        } catch (Throwable e) {
            failures.incrementAndGet(); // sampling must never fail an allocation
        } finally {
            busy[0] = false;
        }
    }

    @Override
    public void freed(long address) {
        LiveSamples blocks = live;
        if (blocks == null) {
            return;
        }
        try {
            blocks.remove(address, sink);
        } catch (Throwable e) {
            failures.incrementAndGet(); // a free never throws
        }
    }

    /** The mean bytes between two samples now. */
    public long intervalBytes() {
        return interval.bytes();
    }

    /** Samples taken since this sampler was created. */
    public long samples() {
        return samples.get();
    }

    /** Samples that could not be remembered (table full) or whose sink failed. */
    public long lost() {
        return failures.get() + (live == null ? 0 : live.dropped());
    }

    /** Sampled blocks remembered now (0 without live tracking). */
    public int liveSamples() {
        return live == null ? 0 : live.size();
    }

    /** A class, not a lambda: this runs in the bootstrap loader, keep it plain. */
    private static final class InSink implements java.util.function.Supplier<boolean[]> {
        static final InSink INSTANCE = new InSink();

        @Override
        public boolean[] get() {
            return new boolean[1];
        }
    }
}
