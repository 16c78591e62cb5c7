package dev.emma.bench.report;

import dev.emma.bench.harness.AllocatorConfig;
import dev.emma.bench.harness.JmhRow;
import dev.emma.bench.harness.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The generated part of {@code docs/benchmarks.md}: machine facts, the command, every table, the
 * charts, failures, and a list of the places where Emma is behind — all from what this run
 * measured, nothing typed in.
 */
public final class MarkdownReport {

    private final Map<String, String> facts;
    private final String command;
    private final String method;
    private final List<AllocatorConfig> configs;
    private final List<JmhRow> jmh;
    private final Results results;
    private final List<WorkloadInfo> workloads;
    private final String chartPrefix;

    /**
     * @param chartPrefix path from the Markdown file to the chart folder, ending in '/'
     */
    public MarkdownReport(Map<String, String> facts, String command, String method, List<AllocatorConfig> configs,
                          List<JmhRow> jmh, Results results, List<WorkloadInfo> workloads, String chartPrefix) {
        this.facts = facts;
        this.command = command;
        this.method = method;
        this.configs = configs;
        this.jmh = jmh;
        this.results = results;
        this.workloads = workloads;
        this.chartPrefix = chartPrefix;
    }

    public static String spikeChartName() {
        return "spike-idle-rss.png";
    }

    public static String barChartName(String workload) {
        return workload + "-bars.png";
    }

    public String render() {
        StringBuilder md = new StringBuilder();
        md.append("### Machine\n\n| | |\n|---|---|\n");
        facts.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "/")).append(" |\n"));
        md.append("\n### Command\n\n```\n").append(command).append("\n```\n\n").append(method).append("\n\n");
        md.append("### Configurations\n\n");
        for (AllocatorConfig config : configs) {
            md.append("- **").append(config.label()).append("**: ").append(describe(config)).append('\n');
        }
        md.append('\n');
        List<AllocatorConfig> ran = configs.stream().filter(AllocatorConfig::runnable).toList();
        if (!jmh.isEmpty()) {
            JmhTable table = new JmhTable(jmh, ran);
            md.append("### Micro-benchmarks (JMH)\n\n")
                    .append("Throughput, higher is better: score ± JMH's 99.9% error · **ratio to glibc**. "
                            + "Multi-threaded rows are summed over threads.\n\n")
                    .append(table.markdown())
                    .append("\nJava heap bytes allocated per operation (`-prof gc`, `gc.alloc.rate.norm`):\n\n")
                    .append(table.allocationMarkdown()).append('\n');
        }
        for (WorkloadInfo workload : workloads) {
            appendWorkload(md, workload, ran);
        }
        String targets = new CoreTargets(jmh.isEmpty() ? null : new JmhTable(jmh, ran), results).markdown();
        if (!targets.isEmpty()) {
            md.append("### Core targets (generated)\n\n").append(targets);
        }
        appendBehind(md, ran);
        appendFailures(md);
        return md.toString();
    }

    private static String describe(AllocatorConfig config) {
        String how = config.env().isEmpty() && config.jvmArgs().isEmpty()
                ? (config.viaJdkPath() ? "the JVM as shipped" : "workloads call `dev.emma.Emma.global()` directly")
                : String.join(" ", config.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                + String.join(" ", config.jvmArgs());
        return config.runnable() ? how : "**skipped**: " + config.skip();
    }

    private void appendWorkload(StringBuilder md, WorkloadInfo workload, List<AllocatorConfig> ran) {
        List<AllocatorConfig> present = ran.stream().filter(c -> !results.runs(workload.id(), c.id()).isEmpty()).toList();
        if (present.isEmpty()) {
            return;
        }
        boolean netty = workload.id().startsWith("netty");
        md.append("### ").append(workload.title()).append("\n\n");
        md.append("| allocator | throughput (").append(workload.unit()).append(") | × glibc |");
        md.append(netty ? " p99 latency (ms) |" : "");
        md.append(" peak RSS (MiB) | × glibc | runs |\n|---|---:|---:|").append(netty ? "---:|" : "").append("---:|---:|---:|\n");
        for (AllocatorConfig config : present) {
            String id = workload.id();
            md.append("| ").append(config.label())
                    .append(" | ").append(results.spread(id, config.id(), "throughput").format("%,.0f"))
                    .append(" | ").append(ratioCell(id, config, "throughput"));
            if (netty) {
                md.append(" | ").append(results.spread(id, config.id(), "p99Millis").format("%.2f"));
            }
            md.append(" | ").append(mibSpread(results.spread(id, config.id(), "peakRssBytes")))
                    .append(" | ").append(ratioCell(id, config, "peakRssBytes"))
                    .append(" | ").append(results.runs(id, config.id()).size()).append(" |\n");
        }
        if (workload.id().equals("spike-idle")) {
            md.append("\nResident memory around the spike (MiB, median (min–max) over runs; "
                    + "returned = (at peak − after idle) / (at peak − before); Emma's own = what of the RSS "
                    + "after idle Emma still holds (mincore of its mappings; core arm only): the rest is the JVM's "
                    + "own growth during the spike):\n\n")
                    .append("| allocator | before | at peak | right after free | after 5 s idle | returned | Emma's own after idle |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|\n");
            for (AllocatorConfig config : present) {
                String id = workload.id();
                Spread emmaOwn = results.spread(id, config.id(), "emmaResidentAfterIdleBytes");
                md.append("| ").append(config.label())
                        .append(" | ").append(mibSpread(results.spread(id, config.id(), "rssBeforeBytes")))
                        .append(" | ").append(mibSpread(results.spread(id, config.id(), "rssAtPeakBytes")))
                        .append(" | ").append(mibSpread(results.spread(id, config.id(), "rssAfterFreeBytes")))
                        .append(" | ").append(mibSpread(results.spread(id, config.id(), "rssAfterIdleBytes")))
                        .append(" | ").append(percentSpread(results.spread(id, config.id(), "returnedShare")))
                        .append(" | ").append(new Spread(emmaOwn.median() / 1048576, emmaOwn.min() / 1048576,
                                emmaOwn.max() / 1048576, emmaOwn.count()).format("%,.2f"))
                        .append(" |\n");
            }
            md.append("\n![RSS over time in spike and idle](").append(chartPrefix).append(spikeChartName()).append(")\n");
        }
        md.append("\n![").append(workload.id()).append(": throughput and peak RSS](")
                .append(chartPrefix).append(barChartName(workload.id())).append(")\n\n");
    }

    private String ratioCell(String workload, AllocatorConfig config, String key) {
        if (config.id().equals(AllocatorConfig.GLIBC)) {
            return "1";
        }
        Spread ratio = results.ratio(workload, config.id(), AllocatorConfig.GLIBC, key);
        return ratio.format("%.2f");
    }

    private static String mibSpread(Spread bytes) {
        return new Spread(bytes.median() / 1048576, bytes.min() / 1048576, bytes.max() / 1048576, bytes.count()).format("%,.0f");
    }

    private static String percentSpread(Spread share) {
        return new Spread(share.median() * 100, share.min() * 100, share.max() * 100, share.count()).format("%.0f%%");
    }

    /** Every measure where an Emma configuration is worse than the best of the others, and by how much. */
    private void appendBehind(StringBuilder md, List<AllocatorConfig> ran) {
        List<String> lines = new ArrayList<>();
        List<AllocatorConfig> others = ran.stream().filter(c -> !c.id().startsWith("emma")).toList();
        List<AllocatorConfig> emmas = ran.stream().filter(c -> c.id().startsWith("emma")).toList();
        if (!jmh.isEmpty()) {
            JmhTable table = new JmhTable(jmh, ran);
            for (JmhTable.Key key : table.keys()) {
                for (AllocatorConfig emma : emmas) {
                    table.find(key, emma.id(), "").ifPresent(mine -> bestOther(others, c -> table.find(key, c.id(), "")
                            .map(JmhRow::score).orElse(Double.NaN), true).ifPresent(best -> {
                        if (mine.score() < best.value() * (1 - NOISE)) {
                            lines.add(String.format(java.util.Locale.ROOT, "JMH %s %s: %s %s vs %s %s (%s of it)",
                                    key.label(), Format.size(key.size()), emma.label(), Format.number(mine.score()),
                                    best.label(), Format.number(best.value()), Format.ratio(mine.score() / best.value())));
                        }
                    }));
                }
            }
        }
        for (WorkloadInfo workload : workloads) {
            for (AllocatorConfig emma : emmas) {
                behindWorkload(lines, workload, emma, others, "throughput", true);
                behindWorkload(lines, workload, emma, others, "peakRssBytes", false);
                if (workload.id().equals("spike-idle")) {
                    behindWorkload(lines, workload, emma, others, "rssAfterIdleBytes", false);
                }
            }
        }
        md.append("### Where Emma is behind (generated)\n\n");
        md.append(emmas.isEmpty() ? "No Emma configuration ran.\n" : lines.isEmpty() ? "Nowhere in this run.\n" : "Each line compares an Emma configuration with the best "
                + "of glibc, jemalloc and mimalloc on that measure (medians); gaps under 5% are left out as noise.\n\n- " + String.join("\n- ", lines) + "\n");
        md.append('\n');
    }

    private void behindWorkload(List<String> lines, WorkloadInfo workload, AllocatorConfig emma, List<AllocatorConfig> others,
                                String key, boolean higherIsBetter) {
        Spread mine = results.spread(workload.id(), emma.id(), key);
        if (mine.empty()) {
            return;
        }
        bestOther(others, c -> results.spread(workload.id(), c.id(), key).median(), higherIsBetter).ifPresent(best -> {
            boolean behind = higherIsBetter ? mine.median() < best.value() * (1 - NOISE) : mine.median() > best.value() * (1 + NOISE);
            if (behind) {
                boolean bytes = key.endsWith("Bytes");
                lines.add(String.format(java.util.Locale.ROOT, "%s, %s: %s %s vs %s %s (%s)", workload.id(), key,
                        emma.label(), bytes ? Format.mib(mine.median()) + " MiB" : Format.number(mine.median()),
                        best.label(), bytes ? Format.mib(best.value()) + " MiB" : Format.number(best.value()),
                        Format.ratio(mine.median() / best.value())));
            }
        });
    }

    /** Differences smaller than this share are not listed as "behind": they are within run-to-run noise here. */
    private static final double NOISE = 0.05;

    private record Best(String label, double value) {
    }

    private static java.util.Optional<Best> bestOther(List<AllocatorConfig> others,
                                                      java.util.function.ToDoubleFunction<AllocatorConfig> measure,
                                                      boolean higherIsBetter) {
        Best best = null;
        for (AllocatorConfig config : others) {
            double value = measure.applyAsDouble(config);
            if (!Double.isNaN(value) && (best == null || (higherIsBetter ? value > best.value() : value < best.value()))) {
                best = new Best(config.label(), value);
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    private void appendFailures(StringBuilder md) {
        List<RunRecord> failures = results.failures();
        if (failures.isEmpty()) {
            return;
        }
        md.append("### Failed runs\n\n");
        for (RunRecord failure : failures) {
            md.append("- ").append(failure.workload()).append(" under ").append(failure.config())
                    .append(", round ").append(failure.round()).append(": ").append(failure.outcome().failure()).append('\n');
        }
        md.append('\n');
    }
}
