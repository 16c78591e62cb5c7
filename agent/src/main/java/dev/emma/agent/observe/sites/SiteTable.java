package dev.emma.agent.observe.sites;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Off-heap bytes by allocation site, estimated from samples: live bytes (sampled blocks not freed
 * yet, each standing for its weight) and bytes allocated. Holds at most {@link #MAX_SITES} sites;
 * later ones are added up in one row, so that its heap stays bounded (a few hundred bytes a site).
 */
public final class SiteTable {

    static final int MAX_SITES = 4096;
    private static final Comparator<SiteRow> BY_LIVE_THEN_ALLOCATED = Comparator.comparingLong(SiteRow::liveBytes)
            .thenComparingLong(SiteRow::allocatedBytes).reversed();

    private final ConcurrentHashMap<Site, SiteFigures> sites = new ConcurrentHashMap<>();
    private final SiteFigures other = new SiteFigures(Site.OTHER);
    private final Function<Site, SiteFigures> create = new Create();

    /** The figures of {@code site}, created on its first sample. */
    SiteFigures figuresOf(Site site) {
        SiteFigures figures = sites.get(site);
        if (figures != null) {
            return figures;
        }
        return sites.size() < MAX_SITES ? sites.computeIfAbsent(site, create) : other;
    }

    /** The {@code count} sites with the most live bytes (then the most allocated). */
    public List<SiteRow> top(int count) {
        List<SiteRow> rows = new ArrayList<>(sites.size() + 1);
        sites.values().forEach(f -> rows.add(f.row()));
        SiteRow rest = other.row();
        if (rest.samples() > 0) {
            rows.add(rest);
        }
        rows.sort(BY_LIVE_THEN_ALLOCATED);
        return List.copyOf(rows.subList(0, Math.min(Math.max(count, 0), rows.size())));
    }

    /** Sites seen. */
    public int size() {
        return sites.size();
    }

    /** A class, not a lambda: created before sampling starts, nothing to link inside an allocation. */
    private static final class Create implements Function<Site, SiteFigures> {
        @Override
        public SiteFigures apply(Site site) {
            return new SiteFigures(site);
        }
    }
}
