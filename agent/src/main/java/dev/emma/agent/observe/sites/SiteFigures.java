package dev.emma.agent.observe.sites;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One site's estimates, from its samples' weights (bytes each sample stands for). Atomic longs, not
 * adders: {@link #released} runs on the free path and must never allocate (an adder may, to grow
 * its cells); the updates come only from samples, a few hundred a second.
 */
final class SiteFigures {

    final Site site;
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final AtomicLong nativeBytes = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong liveSamples = new AtomicLong();

    SiteFigures(Site site) {
        this.site = site;
    }

    void sampled(long weight, boolean emma) {
        liveBytes.addAndGet(weight);
        allocatedBytes.addAndGet(weight);
        if (!emma) {
            nativeBytes.addAndGet(weight);
        }
        samples.incrementAndGet();
        liveSamples.incrementAndGet();
    }

    /** A sampled block of this site was freed. Never allocates, never throws. */
    void released(long weight) {
        liveBytes.addAndGet(-weight);
        liveSamples.decrementAndGet();
    }

    SiteRow row() {
        return new SiteRow(site, Math.max(0, liveBytes.get()), allocatedBytes.get(), nativeBytes.get(), samples.get(),
                Math.max(0, liveSamples.get()));
    }
}
