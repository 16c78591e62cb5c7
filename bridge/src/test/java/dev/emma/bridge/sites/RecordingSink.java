package dev.emma.bridge.sites;

import dev.emma.bridge.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A sink that keeps live bytes per site name (the site is a String here) and every sample. */
class RecordingSink implements SampleSink {

    final List<String> samples = new ArrayList<>();
    final AtomicLong sampledWeight = new AtomicLong();
    final AtomicLong liveWeight = new AtomicLong();
    final List<String> released = new ArrayList<>();
    String site = "site";

    @Override
    public synchronized Object sampled(long size, long weight, Route route, boolean emma) {
        samples.add(size + " " + weight + " " + route + " " + (emma ? "emma" : "native"));
        sampledWeight.addAndGet(weight);
        liveWeight.addAndGet(weight);
        return site;
    }

    @Override
    public synchronized void released(Object site, long weight) {
        released.add(site + " " + weight);
        liveWeight.addAndGet(-weight);
    }
}
