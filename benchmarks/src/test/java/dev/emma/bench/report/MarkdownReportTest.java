package dev.emma.bench.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.bench.harness.AllocatorConfig;
import dev.emma.bench.harness.ChildJvm;
import dev.emma.bench.harness.RunRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    private static final AllocatorConfig GLIBC = new AllocatorConfig("glibc", "glibc (default)", Map.of(), List.of(), "unsafe", null);
    private static final AllocatorConfig CORE = new AllocatorConfig("emma-core", "Emma core", Map.of(), List.of(), "emma", null);
    private static final AllocatorConfig SKIPPED = new AllocatorConfig("emma-agent", "Emma via agent", Map.of(), List.of(),
            "unsafe", "agent jar missing");

    private static RunRecord run(String workload, String config, int round, double throughput, long peak) {
        return new RunRecord(workload, config, round, new ChildJvm.Outcome(
                Map.of("throughput", Double.toString(throughput), "peakRssBytes", Long.toString(peak)), List.of(), Map.of(), 0, null));
    }

    private static String render(List<RunRecord> records) {
        return new MarkdownReport(Map.of("cores", "2"), "scripts/bench", "method", List.of(GLIBC, SKIPPED, CORE), List.of(),
                new Results(records), List.of(new WorkloadInfo("larson", "Larson", "ops/s")), "charts/").render();
    }

    @Test
    void tablesCarryMediansRangesPairedRatiosAndSkipReasons() {
        String md = render(List.of(
                run("larson", "glibc", 1, 1000, 100 << 20), run("larson", "emma-core", 1, 500, 100 << 20),
                run("larson", "glibc", 2, 2000, 100 << 20), run("larson", "emma-core", 2, 1000, 100 << 20)));

        assertTrue(md.contains("| glibc (default) | 1,500 (1,000–2,000) | 1 |"), md);
        assertTrue(md.contains("| Emma core | 750 (500–1,000) | 0.50 | 100 | 1.00 | 2 |"), md);
        assertTrue(md.contains("**skipped**: agent jar missing"), md);
        assertTrue(md.contains("![larson: throughput and peak RSS](charts/larson-bars.png)"), md);
        assertTrue(md.contains("- larson, throughput: Emma core 750 vs glibc (default) 1,500 (0.50×)"), md);
    }

    @Test
    void coreTargetsCompareTheCoreWithTheNativeAllocatorsOfTheSameRun() {
        AllocatorConfig jemalloc = new AllocatorConfig("jemalloc", "jemalloc", Map.of(), List.of(), "unsafe", null);
        List<RunRecord> records = List.of(
                run("xmalloc", "glibc", 1, 1000, 100 << 20), run("xmalloc", "jemalloc", 1, 3000, 80 << 20),
                run("xmalloc", "emma-core", 1, 2000, 85 << 20),
                run("thread-churn", "glibc", 1, 10, 100 << 20), run("thread-churn", "jemalloc", 1, 10, 120 << 20),
                run("thread-churn", "emma-core", 1, 10, 105 << 20));
        String md = new MarkdownReport(Map.of(), "scripts/bench", "method", List.of(GLIBC, jemalloc, CORE), List.of(),
                new Results(records), List.of(new WorkloadInfo("xmalloc", "PC", "blocks/s"),
                new WorkloadInfo("thread-churn", "Churn", "threads/s")), "charts/").render();

        assertTrue(md.contains("| producer/consumer workload, throughput | ≥ best native | 2,000 (0.67×) | jemalloc 3,000 | **not met** |"), md);
        assertTrue(md.contains("| xmalloc, peak RSS | ≤ 1.1× lower of glibc, jemalloc | 85 MiB (1.06×) | jemalloc 80 MiB | met |"), md);
        assertTrue(md.contains("| thread-churn, peak RSS | ≤ 1.1× lower of glibc, jemalloc | 105 MiB (1.05×) | glibc 100 MiB | met |"), md);
    }

    @Test
    void spikeTableSaysWhatOfTheRssAfterIdleIsStillEmmas() {
        Map<String, String> core = Map.of("throughput", "100", "peakRssBytes", Long.toString(1100L << 20),
                "rssBeforeBytes", Long.toString(60L << 20), "rssAtPeakBytes", Long.toString(1100L << 20),
                "rssAfterFreeBytes", Long.toString(1100L << 20), "rssAfterIdleBytes", Long.toString(65L << 20),
                "returnedShare", "0.995", "emmaResidentAfterIdleBytes", Long.toString(80L << 10));
        Map<String, String> glibc = Map.of("throughput", "100", "peakRssBytes", Long.toString(1100L << 20),
                "rssBeforeBytes", Long.toString(45L << 20), "rssAtPeakBytes", Long.toString(1100L << 20),
                "rssAfterFreeBytes", Long.toString(700L << 20), "rssAfterIdleBytes", Long.toString(600L << 20),
                "returnedShare", "0.47");
        List<RunRecord> records = List.of(
                new RunRecord("spike-idle", "glibc", 1, new ChildJvm.Outcome(glibc, List.of(), Map.of(), 0, null)),
                new RunRecord("spike-idle", "emma-core", 1, new ChildJvm.Outcome(core, List.of(), Map.of(), 0, null)));
        String md = new MarkdownReport(Map.of(), "scripts/bench", "method", List.of(GLIBC, CORE), List.of(),
                new Results(records), List.of(new WorkloadInfo("spike-idle", "Spike", "MiB/s")), "charts/").render();

        assertTrue(md.contains("| Emma core | 60 | 1,100 | 1,100 | 65 | 100% | 0.08 |"), md);
        assertTrue(md.contains("| glibc (default) | 45 | 1,100 | 700 | 600 | 47% | — |"), md);
    }

    @Test
    void gapsWithinNoiseAreNotListedAsBehind() {
        String md = render(List.of(run("larson", "glibc", 1, 1000, 100 << 20), run("larson", "emma-core", 1, 970, 102 << 20)));

        assertFalse(md.contains("- larson"), md);
        assertTrue(md.contains("Nowhere in this run."), md);
    }
}
