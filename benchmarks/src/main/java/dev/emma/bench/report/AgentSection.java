package dev.emma.bench.report;

import dev.emma.bench.harness.AgentSuite;
import dev.emma.bench.harness.AllocatorConfig;
import dev.emma.bench.harness.JmhRow;
import dev.emma.bench.harness.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The "Agent" section of docs/benchmarks.md, from {@link AgentSuite}'s results: the A/B arms side by
 * side. Ratios: passthrough to no agent (the control arm's cost), the agent in emma mode to the core
 * called directly (what the agent path costs Emma); RSS ratios to no agent.
 */
public final class AgentSection {

    private static final String CORE = AllocatorConfig.EMMA_CORE;
    private static final String CALL = AllocatorConfig.EMMA_CALL;

    private AgentSection() {
    }

    public static String render(AgentSuite.Results results) {
        StringBuilder md = new StringBuilder("### Agent: the arms of an A/B experiment\n\n");
        md.append("Same machine, same run. *no agent*: the JVM as shipped (glibc); *passthrough*: "
                + "`-javaagent:emma-agent.jar=mode=passthrough` (instrumented, native memory: the control arm); "
                + "*emma*: `mode=emma`; *core*: `dev.emma.Emma.global()` called directly in the no-agent JVM "
                + "(JMH inlines it into the benchmark's loop, which then keeps the thread-heap look-up and the heap's "
                + "per-class loads out of the loop); *core, one call*: the same behind one real, not inlined call per "
                + "operation (`impl=emmacall`), the best any path through `Unsafe` can do. "
                + "JMH: throughput in Mops/s (higher is better), summed over threads, the median of " + AgentSuite.JMH_ROUNDS
                + " rounds of one fork per arm (interleaved; a full run); "
                + "**passthrough / no agent** and **emma / core** are the targets (>= 0.9); **emma / one call** is "
                + "what the agent's own layers cost.\n\n");
        appendJmh(md, results.jmh());
        appendRuns(md, results.runs());
        return md.toString();
    }

    private static void appendJmh(StringBuilder md, List<JmhRow> rows) {
        if (rows.isEmpty()) {
            md.append("(JMH part not run)\n\n");
            return;
        }
        md.append("| benchmark | size | threads | no agent | passthrough | emma (agent) | core | core, one call | passthrough / no agent | emma / core | emma / one call |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, Boolean> keys = new LinkedHashMap<>();
        rows.stream().filter(r -> r.primary() && !r.benchmark().startsWith("LinkerBenchmark"))
                .forEach(r -> keys.put(r.benchmark() + "#" + r.size(), true));
        for (String key : keys.keySet()) {
            String benchmark = key.substring(0, key.indexOf('#'));
            long size = Long.parseLong(key.substring(key.indexOf('#') + 1));
            Optional<JmhRow> none = find(rows, AgentSuite.NONE, benchmark, size);
            Optional<JmhRow> passthrough = find(rows, AgentSuite.PASSTHROUGH, benchmark, size);
            Optional<JmhRow> emma = find(rows, AgentSuite.EMMA, benchmark, size);
            Optional<JmhRow> core = find(rows, CORE, benchmark, size);
            Optional<JmhRow> call = find(rows, CALL, benchmark, size);
            int threads = none.or(() -> core).map(JmhRow::threads).orElse(1);
            md.append("| ").append(benchmark.startsWith("Batch") || benchmark.startsWith("ThreadedBatch") ? "batch of 64" : "pair")
                    .append(" | ").append(Format.size(size)).append(" | ").append(threads).append(" | ")
                    .append(score(none)).append(" | ").append(score(passthrough)).append(" | ").append(score(emma)).append(" | ")
                    .append(score(core)).append(" | ").append(score(call)).append(" | ").append(ratio(passthrough, none))
                    .append(" | ").append(ratio(emma, core)).append(" | ").append(ratio(emma, call)).append(" |\n");
        }
        md.append('\n');
        appendLinker(md, rows);
    }

    /** The Linker route's cost per call: a malloc and its free through downcall handles. */
    private static void appendLinker(StringBuilder md, List<JmhRow> rows) {
        List<JmhRow> linker = rows.stream().filter(r -> r.primary() && r.benchmark().startsWith("LinkerBenchmark")).toList();
        if (linker.isEmpty()) {
            return;
        }
        md.append("The Linker route's cost per call (`LinkerBenchmark`: `long malloc(long)` and `void free(long)` bound through "
                + "FFM downcalls as Netty 4.2 binds them; ns per malloc+free, lower is better): libc behind the downcall "
                + "without the agent, and the same handles routed to Emma (`mode=emma,linker=all`).\n\n")
                .append("| size | libc (no agent) | routed to Emma | routed / libc |\n|---:|---:|---:|---:|\n");
        linker.stream().map(JmhRow::size).distinct().forEach(size -> {
            Optional<JmhRow> libc = find(rows, AgentSuite.NONE_LINKER, "LinkerBenchmark.mallocFree", size);
            Optional<JmhRow> routed = find(rows, AgentSuite.EMMA_LINKER_ALL, "LinkerBenchmark.mallocFree", size);
            md.append("| ").append(Format.size(size)).append(" | ").append(score(libc)).append(" | ").append(score(routed))
                    .append(" | ").append(ratio(routed, libc)).append(" |\n");
        });
        md.append('\n');
    }

    private static void appendRuns(StringBuilder md, List<RunRecord> runs) {
        if (runs.isEmpty()) {
            return;
        }
        List<String> arms = new ArrayList<>();
        runs.forEach(r -> {
            if (!arms.contains(r.config())) {
                arms.add(r.config());
            }
        });
        arms.sort((a, b) -> order(a) - order(b));
        md.append("Whole process, medians of ").append(runs.stream().mapToInt(RunRecord::round).max().orElse(0))
                .append(" interleaved round(s) (min–max): the bundled A/B demo (`scripts/ab-demo`'s workload: 4 threads churn "
                        + "direct buffers, a 512 MiB spike, 5 s idle), and a JVM idle for 4 s (the agent is active before `main`; the JVM starts no JMX).\n\n");
        md.append("| figure |");
        arms.forEach(a -> md.append(' ').append(label(a)).append(" |"));
        arms.stream().filter(a -> !a.equals(AgentSuite.NONE)).forEach(a -> md.append(' ').append(label(a)).append(" / no agent |"));
        boolean againstEmpty = arms.contains(AgentSuite.EMPTY) && arms.contains(AgentSuite.PASSTHROUGH);
        if (againstEmpty) {
            md.append(" passthrough / empty agent |");
        }
        md.append("\n|---|");
        arms.forEach(a -> md.append("---:|"));
        arms.stream().filter(a -> !a.equals(AgentSuite.NONE)).forEach(a -> md.append("---:|"));
        if (againstEmpty) {
            md.append("---:|");
        }
        md.append('\n');
        row(md, runs, arms, "demo: peak RSS (MiB)", AgentSuite.DEMO, r -> r.value("peakRssBytes") / (1 << 20));
        row(md, runs, arms, "demo: RSS after idle (MiB)", AgentSuite.DEMO, r -> r.value("rssAfterIdleBytes") / (1 << 20));
        row(md, runs, arms, "demo: throughput (buffers/s)", AgentSuite.DEMO, r -> r.value("throughput"));
        row(md, runs, arms, "idle JVM: RSS (MiB)", AgentSuite.IDLE, r -> r.value("rssIdleBytes") / (1 << 20));
        md.append('\n');
    }

    private static void row(StringBuilder md, List<RunRecord> runs, List<String> arms, String label, String workload,
                            ToDoubleFunction<RunRecord> value) {
        md.append("| ").append(label).append(" |");
        List<Double> medians = new ArrayList<>();
        for (String arm : arms) {
            Spread spread = Spread.of(runs.stream().filter(r -> r.ok() && r.workload().equals(workload) && r.config().equals(arm))
                    .map(value::applyAsDouble).toList());
            medians.add(spread.median());
            md.append(' ').append(spread.format("%,.0f")).append(" |");
        }
        double none = median(arms, medians, AgentSuite.NONE);
        for (int i = 0; i < arms.size(); i++) {
            if (!arms.get(i).equals(AgentSuite.NONE)) {
                md.append(' ').append(ratio(medians.get(i), none)).append(" |");
            }
        }
        if (arms.contains(AgentSuite.EMPTY) && arms.contains(AgentSuite.PASSTHROUGH)) {
            md.append(' ').append(ratio(median(arms, medians, AgentSuite.PASSTHROUGH), median(arms, medians, AgentSuite.EMPTY))).append(" |");
        }
        md.append('\n');
    }

    private static double median(List<String> arms, List<Double> medians, String arm) {
        int i = arms.indexOf(arm);
        return i < 0 ? Double.NaN : medians.get(i);
    }

    private static String ratio(double value, double base) {
        return Double.isNaN(value) || Double.isNaN(base) ? "—" : "**" + Format.ratio(value / base) + "**";
    }

    private static int order(String arm) {
        return switch (arm) {
            case AgentSuite.NONE -> 0;
            case AgentSuite.EMPTY -> 1;
            case AgentSuite.PASSTHROUGH -> 2;
            default -> 3;
        };
    }

    private static String label(String arm) {
        return switch (arm) {
            case AgentSuite.NONE -> "no agent";
            case AgentSuite.EMPTY -> "empty agent";
            case AgentSuite.PASSTHROUGH -> "passthrough";
            case AgentSuite.EMMA -> "emma";
            default -> arm;
        };
    }

    private static Optional<JmhRow> find(List<JmhRow> rows, String config, String benchmark, long size) {
        return rows.stream().filter(r -> r.config().equals(config) && r.benchmark().equals(benchmark) && r.size() == size).findFirst();
    }

    private static String score(Optional<JmhRow> row) {
        return row.map(r -> Format.number(r.score())).orElse("—");
    }

    private static String ratio(Optional<JmhRow> a, Optional<JmhRow> b) {
        return a.isPresent() && b.isPresent() ? "**" + String.format(Locale.ROOT, "%.2f", a.get().score() / b.get().score()) + "**" : "—";
    }
}
