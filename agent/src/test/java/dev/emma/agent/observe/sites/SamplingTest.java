package dev.emma.agent.observe.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.bridge.Router;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sites through a real router and the real stack: the allocating method is the site, its free takes its bytes back. */
class SamplingTest {

    private static final long BLOCK = 1 << 20; // above the sampling interval: every block is sampled, weight = size
    private static final long BASE = 0x5555_0000_0000L;

    private final Router router = Router.passthrough((what, cause) -> { });

    @Test
    void theMethodThatAllocatesMostIsTheTopSiteAndFreesTakeItsBytesBack() {
        Sampling sampling = Sampling.start(router, 5);
        for (int i = 0; i < 8; i++) {
            allocateMost(BASE + i * BLOCK);
        }
        allocateLittle(BASE + 100 * BLOCK);

        List<SiteRow> top = sampling.top(5);
        assertEquals(2, top.size(), top.toString());
        SiteRow first = top.getFirst();
        assertTrue(first.site().frames().getFirst().startsWith(SamplingTest.class.getName() + ".allocateMost(SamplingTest.java:"),
                first.site().describe());
        assertTrue(first.site().frames().get(1).contains("theMethodThatAllocatesMostIsTheTopSite"), first.site().describe());
        assertEquals(SiteFinder.DEPTH, first.site().frames().size());
        assertEquals(8 * BLOCK, first.liveBytes());
        assertEquals("jdk", first.site().route(), "the internal Unsafe, called by no route the stack shows");
        assertFalse(first.site().jdk());
        assertEquals(1.0, first.nativeShare(), "passthrough: all native");

        for (int i = 0; i < 8; i++) {
            router.free(BASE + i * BLOCK);
        }
        top = sampling.top(5);
        assertTrue(top.getFirst().site().frames().getFirst().contains(".allocateLittle("), "live bytes first:\n" + sampling.topSites(5));
        SiteRow freed = top.get(1);
        assertEquals(0, freed.liveBytes());
        assertEquals(8 * BLOCK, freed.allocatedBytes());

        String text = sampling.topSites(5);
        assertTrue(text.startsWith("top 5 allocation sites by live off-heap bytes (estimates from 9 samples"), text);
        assertTrue(text.lines().skip(2).findFirst().orElseThrow().matches(" +1\\.0 MiB +1\\.0 MiB +jdk +100% +.*allocateLittle.*"), text);
    }

    @Test
    void withoutSitesTheRouterHasNoSamplerAndTheOperationSaysHowToTurnItOn() {
        Sampling sampling = Sampling.start(router, 0);
        allocateMost(BASE);
        assertFalse(sampling.keepsSites());
        assertEquals(List.of(), sampling.top(5));
        assertTrue(sampling.topSites(5).contains("start the agent with sites=N"));
    }

    private void allocateMost(long address) {
        router.allocatedNatively(address, BLOCK); // what the advice reports after libc's allocateMemory
    }

    private void allocateLittle(long address) {
        router.allocatedNatively(address, BLOCK);
    }
}
