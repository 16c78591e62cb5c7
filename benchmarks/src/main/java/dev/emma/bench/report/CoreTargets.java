package dev.emma.bench.report;

import dev.emma.bench.harness.AllocatorConfig;
import dev.emma.bench.harness.JmhRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The core issue's targets (issue 9, "Emma core at scale") checked against this run, Emma core
 * next to the native allocators measured in the same run. Reported, never asserted.
 *
 * <ul>
 *   <li>cross-thread frees (JMH producer/consumer at 64 B and 4 KiB, the producer/consumer
 *       workload): at least the best of glibc, jemalloc and mimalloc;</li>
 *   <li>peak RSS of thread churn, Larson and producer/consumer: at most 1.1x the lower of glibc
 *       and jemalloc; the spike-and-idle run returns all of its spike;</li>
 *   <li>single-thread allocate+free pairs (64 B, 1 KiB, 4 KiB): at least 1.5x the best native;</li>
 *   <li>{@code reallocate} growth by doubling: at least glibc; Larson throughput: at least mimalloc;</li>
 *   <li>about 0 Java heap bytes per operation on the pair and batch benchmarks.</li>
 * </ul>
 */
final class CoreTargets {

    private static final double ZERO_BYTES = 0.1; // B/op: JMH's own sampling noise is below this
    private static final List<String> NATIVE = List.of(AllocatorConfig.GLIBC, "jemalloc", "mimalloc");
    private static final List<String> LEAN = List.of(AllocatorConfig.GLIBC, "jemalloc");

    private final JmhTable table;
    private final Results results;
    private final List<String[]> lines = new ArrayList<>();

    CoreTargets(JmhTable table, Results results) {
        this.table = table;
        this.results = results;
    }

    String markdown() {
        if (table != null) {
            for (JmhTable.Key key : table.keys()) {
                String name = key.benchmark();
                if (name.equals("ProducerConsumerBenchmark.handoff:producer")) {
                    jmhLine(key, NATIVE, 1.0, true, "≥ best native");
                } else if (name.equals("PairBenchmark.pair1") && key.size() <= 4096) {
                    jmhLine(key, NATIVE, 1.5, true, "≥ 1.5× best native");
                } else if (name.equals("ReallocBenchmark.growTo1MiB") || name.equals("ReallocBenchmark.growMany")) {
                    jmhLine(key, List.of(AllocatorConfig.GLIBC), 1.0, true, "≥ glibc");
                }
            }
        }
        workloadLine("xmalloc", "throughput", NATIVE, 1.0, true, "producer/consumer workload, throughput", "≥ best native");
        workloadLine("larson", "throughput", List.of("mimalloc"), 1.0, true, "Larson, throughput", "≥ mimalloc");
        for (String workload : List.of("thread-churn", "larson", "xmalloc")) {
            workloadLine(workload, "peakRssBytes", LEAN, 1.1, false, workload + ", peak RSS", "≤ 1.1× lower of glibc, jemalloc");
        }
        if (results != null) {
            fixedCostLine();
            spikeLine();
        }
        if (table != null) {
            zeroBytesLine();
        }
        if (lines.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("Targets from the core issue (issue 9), Emma core against the allocators "
                + "measured in this run (medians; \"best native\" is the best of glibc, jemalloc and mimalloc by its median; "
                + "a workload's ratio is the median of its per-round ratios to that allocator, each round running every "
                + "allocator side by side):\n\n"
                + "| measure | target | Emma core | against | |\n|---|---|---:|---|---|\n");
        lines.forEach(l -> md.append("| ").append(String.join(" | ", l)).append(" |\n"));
        return md.append('\n').toString();
    }

    /**
     * The spike's return is judged on Emma's own pages (mincore of its mappings after the idle),
     * as a share of the spike's RSS growth: the process's RSS after idle also holds the JVM's own
     * growth during the spike (heap, code), which no allocator returns. Both figures are shown.
     */
    private void spikeLine() {
        String core = AllocatorConfig.EMMA_CORE;
        Spread rss = results.spread("spike-idle", core, "returnedShare");
        Spread own = results.spread("spike-idle", core, "emmaResidentAfterIdleBytes");
        Spread growth = Spread.of(results.runs("spike-idle", core).values().stream()
                .map(r -> r.value("rssAtPeakBytes") - r.value("rssBeforeBytes")).toList());
        if (rss.empty() || own.empty() || growth.empty()) {
            return;
        }
        double ownReturned = 1 - own.max() / Math.max(1, growth.min());
        lines.add(new String[] {"spike and idle, share of the spike returned", "100%",
                String.format(Locale.ROOT, "%.2f%% by Emma (%.2f MiB of its pages resident after idle); %.1f%% of the process's RSS growth",
                        ownReturned * 100, own.max() / 1048576, rss.median() * 100),
                "—", ownReturned >= 0.999 ? "met" : "**not met**"});
    }

    /**
     * Context for the peak-RSS lines, not a target: the control workload's peak RSS, Emma core
     * against glibc. Emma's arm pays it before its first live block (the JVM's own cost of FFM and
     * of running the allocator's Java code), so it is part of every peak-RSS gap above.
     */
    private void fixedCostLine() {
        Spread core = results.spread("fixed-cost", AllocatorConfig.EMMA_CORE, "peakRssBytes");
        Spread glibc = results.spread("fixed-cost", AllocatorConfig.GLIBC, "peakRssBytes");
        if (core.empty() || glibc.empty()) {
            return;
        }
        lines.add(new String[] {"context: peak RSS with 8 live blocks (fixed-cost)", "— (in every peak-RSS gap above)",
                String.format(Locale.ROOT, "%s MiB (%+.1f MiB)", Format.mib(core.median()), (core.median() - glibc.median()) / 1048576),
                "glibc " + Format.mib(glibc.median()) + " MiB", "—"});
    }

    private void jmhLine(JmhTable.Key key, List<String> against, double factor, boolean higherIsBetter, String target) {
        Optional<JmhRow> core = table.find(key, AllocatorConfig.EMMA_CORE, "");
        Best best = best(against, c -> table.find(key, c, "").map(JmhRow::score).orElse(Double.NaN), higherIsBetter);
        if (core.isEmpty() || best == null) {
            return;
        }
        // A row without a size (the realloc chains) is named by its label alone.
        String measure = key.size() == 0 ? key.label() : key.label() + ", " + Format.size(key.size());
        add(measure, target, core.get().score(), best, factor, higherIsBetter,
                Format.number(core.get().score()), Format.number(best.value));
    }

    private void workloadLine(String workload, String key, List<String> against, double factor, boolean higherIsBetter,
                              String label, String target) {
        if (results == null) {
            return;
        }
        Spread core = results.spread(workload, AllocatorConfig.EMMA_CORE, key);
        Best best = best(against, c -> results.spread(workload, c, key).median(), higherIsBetter);
        if (core.empty() || best == null) {
            return;
        }
        boolean bytes = key.endsWith("Bytes");
        // Judged on the median of the per-round ratios: a round runs every allocator side by side,
        // and this VM's speed changes by phases of minutes, so a ratio of two medians taken in
        // different phases can be off by 2x (larson, 2026-11-29: 0.59x of mimalloc by medians,
        // per round 0.58, 1.25 and 1.13).
        Spread paired = results.ratio(workload, AllocatorConfig.EMMA_CORE, best.config, key);
        addRatio(label, target, paired.empty() ? core.median() / best.value : paired.median(), best, factor, higherIsBetter,
                bytes ? Format.mib(core.median()) + " MiB" : Format.number(core.median()),
                bytes ? Format.mib(best.value) + " MiB" : Format.number(best.value));
    }

    private void add(String label, String target, double core, Best best, double factor, boolean higherIsBetter,
                     String coreText, String bestText) {
        addRatio(label, target, core / best.value, best, factor, higherIsBetter, coreText, bestText);
    }

    private void addRatio(String label, String target, double ratio, Best best, double factor, boolean higherIsBetter,
                          String coreText, String bestText) {
        boolean met = higherIsBetter ? ratio >= factor : ratio <= factor;
        lines.add(new String[] {label, target, coreText + " (" + Format.ratio(ratio) + ")", best.config + " " + bestText,
                met ? "met" : "**not met**"});
    }

    /** The hot path: pairs and batches. Slow operations (realloc growth) show JMH's own background allocation. */
    private void zeroBytesLine() {
        double worst = table.keys().stream()
                .filter(k -> k.benchmark().contains("Pair") || k.benchmark().contains("Batch"))
                .map(k -> table.find(k, AllocatorConfig.EMMA_CORE, ":gc.alloc.rate.norm"))
                .flatMap(Optional::stream).mapToDouble(JmhRow::score).max().orElse(Double.NaN);
        if (!Double.isNaN(worst)) {
            lines.add(new String[] {"every pair and batch benchmark", "~0 B/op on the Java heap",
                    String.format(Locale.ROOT, "at most %.4f B/op", worst), "—", worst < ZERO_BYTES ? "met" : "**not met**"});
        }
    }

    private record Best(String config, double value) {
    }

    private static Best best(List<String> configs, java.util.function.ToDoubleFunction<String> measure, boolean higherIsBetter) {
        Best best = null;
        for (String config : configs) {
            double value = measure.applyAsDouble(config);
            if (!Double.isNaN(value) && (best == null || (higherIsBetter ? value > best.value : value < best.value))) {
                best = new Best(config, value);
            }
        }
        return best;
    }
}
