package dev.emma.agent.observe.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class SiteTableTest {

    private final SiteTable table = new SiteTable();

    @Test
    void sitesAreOrderedByLiveBytesThenBytesAllocated() {
        table.figuresOf(site("a")).sampled(100, true);
        SiteFigures b = table.figuresOf(site("b"));
        b.sampled(300, false);
        b.sampled(300, true);
        b.released(300);
        table.figuresOf(site("c")).sampled(300, true);

        List<SiteRow> top = table.top(10);

        assertEquals(List.of("b", "c", "a"), top.stream().map(r -> r.site().frames().getFirst()).toList());
        assertEquals(new SiteRow(site("b"), 300, 600, 300, 2, 1), top.getFirst());
        assertEquals(0.5, top.getFirst().nativeShare());
        assertEquals(2, table.top(2).size());
    }

    @Test
    void theSameSiteIsOneRow() {
        assertSame(table.figuresOf(site("a")), table.figuresOf(new Site("direct", false, List.of("a"))));
        assertEquals(1, table.size());
    }

    @Test
    void beyondTheCapSamplesGoToOneRow() {
        for (int i = 0; i < SiteTable.MAX_SITES; i++) {
            table.figuresOf(site("s" + i));
        }
        table.figuresOf(site("late")).sampled(1 << 20, true);
        table.figuresOf(site("later")).sampled(1 << 20, true);

        SiteRow first = table.top(1).getFirst();
        assertEquals(Site.OTHER, first.site());
        assertEquals(2 << 20, first.liveBytes());
        assertEquals(SiteTable.MAX_SITES, table.size());
    }

    private static Site site(String frame) {
        return new Site("direct", false, List.of(frame));
    }
}
