package dev.emma.bench.ab;

import dev.emma.bench.report.Spread;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The experiment's {@code report.md}: problems first (loud), then the table of every arm, then one
 * section per arm made of {@link #ARM_BLOCKS}: the reps' own figures, then, in the agent arms, the
 * agent's coverage report and its top allocation sites as it printed them at exit (read from each
 * run's log, {@link AgentReport}).
 */
final class Report {

    /** Shown where a figure could not be read: the agent does not publish it, or nothing was measured. */
    static final String NOT_AVAILABLE = "n/a";
    /** Shown where a figure has no meaning (the agent's counters in the {@code none} arm). */
    static final String NOT_APPLICABLE = "—";

    /** A block of an arm's section: its markdown, or "" to leave it out. */
    interface ArmBlock extends BiFunction<Arm, List<RunResult>, String> {
    }

    static final List<ArmBlock> ARM_BLOCKS = List.of(Report::repsBlock, Report::coverageBlock, Report::sitesBlock);

    private Report() {
    }

    /** The whole report. {@code header} says what ran (command, phases, machine), one line each. */
    static String markdown(List<String> header, List<Arm> arms, Summary summary, List<Problem> problems, String chartFile) {
        StringBuilder md = new StringBuilder("# A/B experiment\n\n");
        header.forEach(line -> md.append(line).append("  \n"));
        md.append("\n## Problems\n\n").append(problems(problems)).append('\n');
        md.append("## Results\n\n");
        int reps = summary.runs().stream().mapToInt(RunResult::rep).max().orElse(0);
        md.append(String.format(Locale.ROOT, "Median (min–max) over the runs that ran, %d rep(s) per arm; "
                + "\"× none\" rows are ratios to the `none` run of the same rep. %s: the agent does not publish the figure; "
                + "%s: no meaning in that arm.%n%n", reps, NOT_AVAILABLE, NOT_APPLICABLE));
        md.append(table(arms, summary)).append('\n');
        md.append("""
                Peak RSS: the kernel's VmHWM (catches peaks between samples). RSS under load: VmRSS sampled every
                200 ms during the measured window. After idle: the last sample of the idle phase. Anonymous RSS:
                `Anonymous` of /proc/PID/smaps_rollup (heap, stacks, malloc's and Emma's pages; no mapped files).
                Direct buffers: the JDK's BufferPoolMXBean "direct" (MemoryUsed); the agent's figures: MBean
                dev.emma:type=Allocator, both read through the Attach API and JMX (the JDK's management agent this
                starts in the service costs the same in every arm). Emma's share: of the Java-level off-heap bytes
                allocated since the agent started, the part Emma served (attribute EmmaShare).

                """);
        md.append("![RSS over time, every run](").append(chartFile).append(")\n\n");
        md.append("## Per arm\n");
        for (Arm arm : arms) {
            md.append("\n### ").append(arm.id()).append("\n\n");
            for (ArmBlock block : ARM_BLOCKS) {
                String text = block.apply(arm, summary.runs(arm));
                if (!text.isEmpty()) {
                    md.append(text).append('\n');
                }
            }
        }
        return md.toString();
    }

    static String problems(List<Problem> problems) {
        if (problems.isEmpty()) {
            return "None: every arm ran and is what it claims.\n";
        }
        StringBuilder text = new StringBuilder(problems.stream().anyMatch(Problem::fails)
                ? "**Not every arm ran as it claims** (exit code 1):\n\n"
                : problems.stream().anyMatch(Problem::loud) ? "Every arm ran, but check:\n\n" : "Every arm ran; remarks:\n\n");
        for (Problem problem : problems) {
            text.append("- ").append(problem.loud() ? "**" + problem.line() + "**" : problem.line()).append('\n');
        }
        return text.toString();
    }

    /** The table of every figure (rows) by arm (columns), in markdown; what {@code scripts/ab} prints at the end. */
    static String table(List<Arm> arms, Summary summary) {
        List<List<String>> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of(""));
        arms.forEach(a -> head.add(a.id()));
        rows.add(head);
        boolean withNone = arms.contains(Arm.NONE);
        for (Metric metric : Metric.values()) {
            if ((metric == Metric.THROUGHPUT || metric == Metric.P99_LATENCY) && !summary.measured(metric)) {
                continue; // the load was not wrk
            }
            List<String> row = new ArrayList<>(List.of(metric.label()));
            arms.forEach(arm -> row.add(cell(summary, arm, metric)));
            rows.add(row);
            if (metric.ratioToNone() && withNone && arms.size() > 1) {
                rows.add(ratioRow(arms, summary, metric, Arm.NONE, arm -> arm != Arm.NONE));
            }
            if (metric.ratioToNone() && arms.contains(Arm.EMPTY) && arms.stream().anyMatch(Arm::hasAgent)) {
                // what Emma's agent adds over any agent: the A/B gap that is the agent's own
                rows.add(ratioRow(arms, summary, metric, Arm.EMPTY, Arm::hasAgent));
            }
        }
        return markdownTable(rows);
    }

    /** "× base, per rep": each arm that {@code shown} keeps over {@code base}, rep by rep; blank for the others. */
    private static List<String> ratioRow(List<Arm> arms, Summary summary, Metric metric, Arm base, Predicate<Arm> shown) {
        List<String> ratio = new ArrayList<>(List.of("  × " + base.id() + ", per rep"));
        for (Arm arm : arms) {
            Spread spread = shown.test(arm) ? summary.ratio(arm, base, metric) : null;
            ratio.add(spread == null ? "" : spread.empty() ? NOT_AVAILABLE : spread.format("%.2f×"));
        }
        return ratio;
    }

    private static String cell(Summary summary, Arm arm, Metric metric) {
        if (metric.fromAgent() && !arm.hasAgent()) {
            return NOT_APPLICABLE;
        }
        Spread spread = summary.spread(arm, metric);
        if (spread.empty()) {
            return NOT_AVAILABLE;
        }
        double d = metric.unit().divisor;
        return new Spread(spread.median() / d, spread.min() / d, spread.max() / d, spread.count())
                .format(metric.unit().pattern(spread.max() / d));
    }

    /** One line per rep of an arm: its own figures and files (which run looks odd, where to read why). */
    static String repsBlock(Arm arm, List<RunResult> runs) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("rep", "peak RSS, MiB", "RSS under load, MiB", "after idle, MiB", "req/s", "p99, ms", "files"));
        for (RunResult run : runs) {
            rows.add(List.of(Integer.toString(run.rep()) + (run.ran() ? "" : " (failed)"),
                    format(Metric.PEAK_RSS, run), format(Metric.MEAN_RSS_UNDER_LOAD, run), format(Metric.RSS_AFTER_IDLE, run),
                    format(Metric.THROUGHPUT, run), format(Metric.P99_LATENCY, run), String.join(", ", run.files())));
        }
        return markdownTable(rows);
    }

    /** The agent's coverage report at exit, per rep: what Emma served, what stayed native and why. */
    static String coverageBlock(Arm arm, List<RunResult> runs) {
        return agentBlock(runs, AgentReport::coverage, "Coverage at exit (the agent's `summary`)");
    }

    /** The agent's top allocation sites at exit, per rep ({@code --sites N}). */
    static String sitesBlock(Arm arm, List<RunResult> runs) {
        return agentBlock(runs, AgentReport::sites, "Top allocation sites at exit (`--sites`, agent option `sites=N`)");
    }

    /** One fenced block per rep that printed {@code part}; "" when none did. */
    private static String agentBlock(List<RunResult> runs, Function<AgentReport, List<String>> part, String title) {
        StringBuilder md = new StringBuilder();
        for (RunResult run : runs) {
            List<String> lines = part.apply(run.agent());
            if (lines.isEmpty()) {
                continue;
            }
            md.append("**").append(title).append(", rep ").append(run.rep()).append("** (").append(run.arm().id()).append('-')
                    .append(run.rep()).append(".log):\n\n```\n");
            lines.forEach(line -> md.append(line).append('\n'));
            md.append("```\n\n");
        }
        return md.toString().stripTrailing().isEmpty() ? "" : md.toString().stripTrailing() + "\n";
    }

    private static String format(Metric metric, RunResult run) {
        double value = metric.of(run);
        double shown = value / metric.unit().divisor;
        return Double.isNaN(value) ? NOT_AVAILABLE : String.format(Locale.ROOT, metric.unit().pattern(shown), shown);
    }

    /** Columns padded to their widest cell, so that the table reads on a terminal as well. */
    static String markdownTable(List<List<String>> rows) {
        int columns = rows.getFirst().size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(Math.max(width[c], row.get(c).length()), 3);
            }
        }
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            text.append('|');
            for (int c = 0; c < columns; c++) {
                String cell = rows.get(r).get(c);
                text.append(' ').append(c == 0 ? pad(cell, width[c], true) : pad(cell, width[c], false)).append(" |");
            }
            text.append('\n');
            if (r == 0) {
                text.append('|');
                for (int c = 0; c < columns; c++) {
                    text.append(c == 0 ? ":" + "-".repeat(width[c] + 1) : "-".repeat(width[c] + 1) + ":").append('|');
                }
                text.append('\n');
            }
        }
        return text.toString();
    }

    private static String pad(String text, int width, boolean left) {
        String spaces = " ".repeat(Math.max(0, width - text.length()));
        return left ? text + spaces : spaces + text;
    }
}
