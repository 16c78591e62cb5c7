package dev.emma.bridge.sites;

import dev.emma.bridge.Route;

/**
 * What a sampled allocation is handed to (the agent's site table and JFR event). Implemented
 * outside the bootstrap loader: its class and everything {@link #sampled} uses must be loaded
 * before the sampler is installed (see {@link SiteSampler#SiteSampler}), so that sampling never
 * loads a class from inside an instrumented JDK method.
 */
public interface SampleSink {

    /**
     * A sampled allocation, on the allocating thread, before its caller sees the block. May allocate
     * and may throw (the sampler catches it); runs a few hundred times a second at most
     * ({@link SampleInterval}).
     *
     * @param size   the block's requested size
     * @param weight the bytes this sample stands for: {@code size / p}, p its probability of being sampled
     * @param route  the router's route (see {@link dev.emma.bridge.SampleHook#allocated})
     * @param emma   whether Emma served it
     * @return the site to remember the block by while it lives, or null not to remember it
     */
    Object sampled(long size, long weight, Route route, boolean emma);

    /** A remembered block was freed. Must neither throw nor allocate: it runs on the free path. */
    void released(Object site, long weight);
}
