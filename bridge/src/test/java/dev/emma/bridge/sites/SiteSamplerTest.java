package dev.emma.bridge.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.bridge.Route;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SiteSamplerTest {

    private static final long BASE = 0x7f00_0000_0000L;

    private final RecordingSink sink = new RecordingSink();
    private final SiteSampler sampler = new SiteSampler(sink, true);

    @Test
    void aBlockOfTheIntervalOrMoreIsAlwaysSampledForItsOwnSize() {
        long big = SampleInterval.START_BYTES * 4;
        for (int i = 0; i < 10; i++) {
            sampler.allocated(BASE + i * (1L << 24), big, Route.DIRECT, true);
        }
        assertEquals(10, sink.samples.size());
        assertEquals(big + " " + big + " DIRECT emma", sink.samples.getFirst());
        assertEquals(10, sampler.liveSamples());
    }

    @Test
    void smallBlocksAreSampledInProportionToTheirBytesAndTheWeightsSumToTheBytes() {
        long size = 4096;
        int count = 400_000; // 1.5 GiB: the interval adapts upwards on the way, the estimate stays unbiased
        for (int i = 0; i < count; i++) {
            sampler.allocated(BASE + i * 16L, size, Route.UNSAFE, false);
        }
        double total = (double) size * count;
        double estimate = sink.sampledWeight.get();
        assertTrue(Math.abs(estimate - total) / total < 0.2, "estimate " + estimate + " of " + total);
        assertTrue(sink.samples.size() > 50 && sink.samples.size() < count / 10, sink.samples.size() + " samples");
    }

    @Test
    void aSampledBlockGivesItsWeightBackWhenFreedOnceAndAnUnsampledFreeDoesNothing() {
        long big = SampleInterval.START_BYTES;
        sampler.allocated(BASE, big, Route.FFM, true);
        sampler.freed(BASE + 4096); // never sampled
        assertEquals(List.of(), sink.released);

        sampler.freed(BASE);
        sampler.freed(BASE);

        assertEquals(List.of("site " + big), sink.released);
        assertEquals(0, sink.liveWeight.get());
        assertEquals(0, sampler.liveSamples());
    }

    @Test
    void withoutLiveTrackingNothingIsRemembered() {
        SiteSampler samplesOnly = new SiteSampler(sink, false);
        samplesOnly.allocated(BASE, SampleInterval.START_BYTES, Route.LINKER, false);
        samplesOnly.freed(BASE);
        assertEquals(1, sink.samples.size());
        assertEquals(List.of(), sink.released);
        assertEquals(0, samplesOnly.liveSamples());
    }

    @Test
    void theSinksOwnAllocationsAreNotSampled() {
        long big = SampleInterval.START_BYTES;
        SiteSampler[] self = new SiteSampler[1];
        RecordingSink allocating = new RecordingSink() {
            @Override
            public synchronized Object sampled(long size, long weight, Route route, boolean emma) {
                self[0].allocated(BASE + (1L << 30), big, Route.JDK, false); // e.g. a JFR buffer or a temporary direct buffer
                return super.sampled(size, weight, route, emma);
            }
        };
        self[0] = new SiteSampler(allocating, true);

        self[0].allocated(BASE, big, Route.DIRECT, true);
        self[0].allocated(BASE + 4096, big, Route.DIRECT, true);

        assertEquals(List.of(big + " " + big + " DIRECT emma", big + " " + big + " DIRECT emma"), allocating.samples);
    }

    @Test
    void aFailingSinkNeverFailsTheAllocationNorTheFree() {
        SiteSampler failing = new SiteSampler(new SampleSink() {
            @Override
            public Object sampled(long size, long weight, Route route, boolean emma) {
                throw new IllegalStateException("sink broken");
            }

            @Override
            public void released(Object site, long weight) {
                throw new IllegalStateException("sink broken");
            }
        }, true);

        failing.allocated(BASE, SampleInterval.START_BYTES, Route.DIRECT, true);
        failing.freed(BASE);

        assertEquals(1, failing.lost());
        assertEquals(1, failing.samples());
    }

    /**
     * A sample the live table drops (its probes all taken) has already given its weight to its
     * site; its free finds nothing to give back, so the weight must go back when it is dropped,
     * else the site's live bytes only grow.
     */
    @Test
    void aDroppedSampleLeavesNoLiveBytesBehindOnceItsBlockIsFreed() {
        AtomicLong live = new AtomicLong();
        SampleSink counting = new SampleSink() {
            @Override
            public Object sampled(long size, long weight, Route route, boolean emma) {
                live.addAndGet(weight);
                return "site";
            }

            @Override
            public void released(Object site, long weight) {
                live.addAndGet(-weight);
            }
        };
        SiteSampler full = new SiteSampler(counting, true);
        long size = 1L << 42; // above any interval (MAX_BYTES 2^40): every block is sampled, its weight its size
        // Long-lived blocks fill the table (2^14 slots): what a service with many live samples reaches.
        long address = BASE;
        for (int i = 0; i < (1 << LiveSamples.SLOT_BITS); i++) {
            full.allocated(address += 64, size, Route.JDK, true);
        }
        long longLived = live.get();
        long lostBefore = full.lost();
        // Then short-lived blocks: allocated and freed.
        for (int i = 0; i < 1000; i++) {
            long a = 0x7e00_0000_0000L + 64L * i;
            full.allocated(a, size, Route.JDK, true);
            full.freed(a);
        }
        assertTrue(full.lost() > lostBefore, "the table was not full: the test proves nothing");
        assertEquals(longLived, live.get(), "freed blocks still count as live: " + (live.get() - longLived) / size + " blocks");
    }
}
