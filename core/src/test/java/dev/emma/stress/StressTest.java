package dev.emma.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaStats;
import dev.emma.support.Brief;
import dev.emma.support.EmmaBlocks;
import dev.emma.support.Seeds;
import dev.emma.support.Sizes;
import dev.emma.support.StressRun;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** All threads hammer one instance; {@link StressCheckerSelfTest} proves the checker catches bad blocks. */
class StressTest {

    static int threads() {
        return Math.max(4, Runtime.getRuntime().availableProcessors());
    }

    @Test
    void concurrentRandomAllocationsNeverOverlapAndKeepTheirContents() throws Exception {
        long seed = Seeds.base("StressTest");
        StressRun.Settings settings = new StressRun.Settings(threads(), 6_000, 16, 4 * Sizes.MiB, 24, 0.3,
                TimeUnit.SECONDS.toNanos(8));
        try (Emma emma = Emma.create()) {
            StressRun.Result result = StressRun.run(new EmmaBlocks(emma), settings, seed);
            String context = "seed " + seed + ", " + result;
            System.out.println("StressTest: " + settings.threads() + " threads, " + result.allocations() + " allocations, "
                    + result.handedOff() + " frees handed to another thread, peak mapped "
                    + emma.stats().peakMappedBytes() / Sizes.MiB + " MiB");

            assertEquals(java.util.List.of(), result.violations(), context);
            assertTrue(result.allocations() >= 1_000, "the run must do real work: " + context);
            assertTrue(result.handedOff() > 0, "some frees must come from another thread: " + context);
            assertEquals(result.allocations(), result.frees(), context);
            EmmaStats stats = emma.stats();
            assertEquals(0, stats.liveBlocks(), "all blocks were freed: " + Brief.of(stats) + ", " + context);
            assertEquals(0, stats.liveBytes(), "all blocks were freed: " + Brief.of(stats) + ", " + context);
            assertEquals(0, stats.invalidFrees(), "every free was valid: " + Brief.of(stats) + ", " + context);
            assertEquals(result.allocations(), stats.totalAllocations(), context);
            assertEquals(result.frees(), stats.totalFrees(), context);
        }
    }
}
