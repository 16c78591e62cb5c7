package dev.emma.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.support.Brief;
import dev.emma.support.EmmaBlocks;
import dev.emma.support.Seeds;
import dev.emma.support.Sizes;
import dev.emma.support.StressRun;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** All threads hammer one instance; {@link StressCheckerSelfTest} proves the checker catches bad blocks. */
class StressTest {

    static int threads() {
        return Math.max(4, Runtime.getRuntime().availableProcessors());
    }

    @Test
    void concurrentRandomAllocationsNeverOverlapAndKeepTheirContents() throws Exception {
        stress("StressTest.defaults", EmmaConfig.defaults(), 7);
    }

    /** The purger runs all the time (1 ms decay) against the workers, and checks are on. */
    @Test
    void concurrentRandomAllocationsWithAnEagerPurgerAndChecks() throws Exception {
        stress("StressTest.eagerPurger", EmmaConfig.defaults().withPurgeDelay(Duration.ofMillis(1)).withChecks(true), 4);
    }

    /** Thread-heap sizes only, half of all frees remote: the lock-free remote free lists at full rate. */
    @Test
    void smallBlocksWithHalfTheFreesRemote() throws Exception {
        stress("StressTest.smallRemote", EmmaConfig.defaults(), new StressRun.Settings(threads(), 200_000, 16,
                8 * Sizes.KiB, 256, 0.5, TimeUnit.SECONDS.toNanos(4)));
    }

    private static void stress(String name, EmmaConfig config, int seconds) throws Exception {
        stress(name, config, new StressRun.Settings(threads(), 6_000, 16, 4 * Sizes.MiB, 24, 0.3,
                TimeUnit.SECONDS.toNanos(seconds)));
    }

    private static void stress(String name, EmmaConfig config, StressRun.Settings settings) throws Exception {
        long seed = Seeds.base(name);
        try (Emma emma = Emma.create(config)) {
            StressRun.Result result = StressRun.run(new EmmaBlocks(emma), settings, seed);
            String context = "seed " + seed + ", " + result;
            System.out.println(name + ": " + settings.threads() + " threads, " + result.allocations() + " allocations, "
                    + result.handedOff() + " frees handed to another thread, peak mapped "
                    + emma.stats().peakMappedBytes() / Sizes.MiB + " MiB");

            assertEquals(java.util.List.of(), result.violations(), context);
            assertTrue(result.allocations() >= 500, "the run must do real work: " + context);
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
