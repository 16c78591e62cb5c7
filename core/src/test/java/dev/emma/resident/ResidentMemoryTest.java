package dev.emma.resident;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.support.Patterns;
import dev.emma.support.ProcMaps;
import dev.emma.support.Seeds;
import dev.emma.support.Sizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * After a 512 MiB spike of mixed sizes (every byte touched) is freed, Emma's resident memory goes
 * back close to the pre-spike level within seconds: measured from the kernel's
 * {@code /proc/self/smaps} and with {@link Emma#residentBytes()}; mapped bytes drop too.
 */
class ResidentMemoryTest {
    private static final long PER_TIER = 128 * Sizes.MiB;
    private static final long SPIKE = 4 * PER_TIER;
    /** "Close to the pre-spike level": within 48 MiB, under a tenth of the spike. */
    private static final long SLACK = 48 * Sizes.MiB;
    private static final long WAIT_MILLIS = 5_000;

    @Test
    void idleInstanceReturnsASpikeByItself() throws Exception {
        EmmaConfig config = EmmaConfig.defaults().withPurgeDelay(Duration.ofMillis(50)).withBackgroundPurge(true);
        spikeAndWatch(config, false, "ResidentMemoryTest.idle");
    }

    @Test
    void trimReturnsASpikeAtOnce() throws Exception {
        EmmaConfig config = EmmaConfig.defaults().withBackgroundPurge(false);
        spikeAndWatch(config, true, "ResidentMemoryTest.trim");
    }

    private static void spikeAndWatch(EmmaConfig config, boolean trim, String name) throws InterruptedException {
        long seed = Seeds.base(name);
        try (Emma emma = Emma.create(config)) {
            List<Long> steady = new ArrayList<>(); // a little memory that stays in use throughout
            for (int i = 0; i < 1000; i++) {
                steady.add(emma.allocate(64 + i));
            }
            long rssBefore = smapsResident(emma);
            long residentBefore = emma.residentBytes();
            long mappedBefore = emma.stats().mappedBytes();

            List<Long> spike = allocateSpike(emma, new SplittableRandom(seed));
            long rssPeak = smapsResident(emma);
            long residentPeak = emma.residentBytes();
            String peak = "before: smaps " + mib(rssBefore) + ", mincore " + mib(residentBefore) + ", mapped "
                    + mib(mappedBefore) + "; spike: smaps " + mib(rssPeak) + ", mincore " + mib(residentPeak);
            assertTrue(rssPeak - rssBefore >= SPIKE * 8 / 10, "smaps must see the spike: " + peak);
            assertTrue(residentPeak - residentBefore >= SPIKE * 8 / 10, "residentBytes must see the spike: " + peak);

            Collections.shuffle(spike, new Random(seed));
            spike.forEach(emma::free);
            if (trim) {
                emma.trim();
            }

            List<String> history = new ArrayList<>();
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (true) {
                long rss = smapsResident(emma);
                long resident = emma.residentBytes();
                EmmaStats stats = emma.stats();
                history.add("smaps " + mib(rss) + ", mincore " + mib(resident) + ", mapped " + mib(stats.mappedBytes()));
                boolean returned = rss <= rssBefore + SLACK && resident <= residentBefore + SLACK
                        && stats.mappedBytes() <= mappedBefore + SLACK;
                if (returned) {
                    System.out.println(name + ": " + peak + "; after free: " + history);
                    break;
                }
                assertTrue(System.currentTimeMillis() < deadline, "seed " + seed + ": memory not returned within "
                        + WAIT_MILLIS + " ms (slack " + mib(SLACK) + "): " + peak + "; after free: " + history);
                Thread.sleep(100);
            }
            assertTrue(emma.stats().purgedBytes() > 0, "seed " + seed + ": " + emma.stats());
            steady.forEach(emma::free);
        }
    }

    /** 128 MiB in each tier (small, medium, large, huge), every byte written. */
    private static List<Long> allocateSpike(Emma emma, SplittableRandom random) {
        long[][] tiers = {{16, 8 * Sizes.KiB}, {8 * Sizes.KiB + 1, 128 * Sizes.KiB},
                {128 * Sizes.KiB + 1, Sizes.MiB}, {Sizes.MiB + 1, 4 * Sizes.MiB}};
        List<Long> blocks = new ArrayList<>();
        for (long[] tier : tiers) {
            long total = 0;
            while (total < PER_TIER) {
                long size = Sizes.logUniform(random, tier[0], tier[1]);
                long p = emma.allocate(size);
                Patterns.fillBytes(p, size, (byte) 0x5A);
                blocks.add(p);
                total += size;
            }
        }
        return blocks;
    }

    /**
     * Rss of the mappings Emma owns, from the kernel's view. A mapping counts if Emma owns its
     * start or any 4 MiB boundary in it, or the page after one of those (adjacent mappings can be
     * merged by the kernel into one entry, so the start alone could miss a segment).
     */
    static long smapsResident(Emma emma) {
        long kib = 0;
        for (ProcMaps.Mapping m : ProcMaps.read()) {
            if (ownsSome(emma, m)) {
                kib += m.rssKiB();
            }
        }
        return kib * Sizes.KiB;
    }

    private static boolean ownsSome(Emma emma, ProcMaps.Mapping m) {
        if (m.start() < 0) {
            return false; // [vsyscall]: kernel space
        }
        long granule = 4 * Sizes.MiB;
        for (long a = m.start(); a < m.end(); a = (a + granule) & -granule) {
            if (emma.owns(a) || (a + 4096 < m.end() && emma.owns(a + 4096))) {
                return true;
            }
        }
        return false;
    }

    private static String mib(long bytes) {
        return (bytes / Sizes.MiB) + " MiB";
    }
}
