package dev.emma.agent.observe.sites;

import dev.emma.bridge.Route;
import dev.emma.bridge.sites.SampleSink;

/**
 * What happens to a sample: its stack gives its site and route ({@link SiteFinder}); the site's
 * figures take its weight when sites are kept; a JFR event is written while a recording enables it.
 * Returns the site's figures, which the sampler remembers with the block until its free.
 */
final class SampleRecorder implements SampleSink {

    private final SiteTable table;
    private volatile boolean events;

    /** @param table null when sites are not kept (JFR events only) */
    SampleRecorder(SiteTable table) {
        this.table = table;
    }

    void events(boolean on) {
        events = on;
    }

    @Override
    public Object sampled(long size, long weight, Route route, boolean emma) {
        SiteFinder.Found found = SiteFinder.find(route);
        SiteFigures figures = null;
        if (table != null) {
            figures = table.figuresOf(found.site());
            figures.sampled(weight, emma);
        }
        if (events) {
            JfrSamples.emit(size, weight, found.site().route(), emma, found.site());
        }
        return figures;
    }

    @Override
    public void released(Object site, long weight) {
        if (site instanceof SiteFigures figures) {
            figures.released(weight);
        }
    }
}
