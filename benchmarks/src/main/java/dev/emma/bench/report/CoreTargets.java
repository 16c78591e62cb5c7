package dev.emma.bench.report;

import dev.emma.bench.harness.AllocatorConfig;
import dev.emma.bench.harness.JmhRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The core issue's targets checked against this run's JMH rows: small allocate+free pairs at
 * least 2× glibc-via-Unsafe on one thread, 2-thread aggregate at least glibc's, and ~0 Java heap
 * bytes per operation on Emma's hot path. Reported, never asserted.
 */
final class CoreTargets {

    private static final double ZERO_BYTES = 0.1; // B/op: JMH's own sampling noise is below this

    private final JmhTable table;

    CoreTargets(JmhTable table) {
        this.table = table;
    }

    String markdown() {
        List<String[]> lines = new ArrayList<>();
        for (JmhTable.Key key : table.keys()) {
            String name = key.benchmark();
            if (name.equals("PairBenchmark.pair1") && key.size() <= 4096) {
                ratioLine(lines, key, 2.0, "≥ 2× glibc, 1 thread");
            } else if (name.equals("ThreadedPairBenchmark.pair2")) {
                ratioLine(lines, key, 1.0, "≥ glibc, 2 threads aggregate");
            }
        }
        // The hot path: pairs and batches. Slow operations (realloc growth, ~27 µs) show JMH's own
        // background allocation spread over few operations, for glibc too.
        double worstBytes = table.keys().stream()
                .filter(k -> k.benchmark().contains("Pair") || k.benchmark().contains("Batch"))
                .map(k -> table.find(k, AllocatorConfig.EMMA_CORE, ":gc.alloc.rate.norm"))
                .flatMap(Optional::stream).mapToDouble(JmhRow::score).max().orElse(Double.NaN);
        if (!Double.isNaN(worstBytes)) {
            lines.add(new String[] {"every Emma core pair and batch benchmark", "~0 B/op on the Java heap",
                    String.format(Locale.ROOT, "at most %.4f B/op", worstBytes), worstBytes < ZERO_BYTES ? "met" : "**not met**"});
        }
        if (lines.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("Targets from the core issue, Emma core against glibc via `Unsafe` in the same run:\n\n"
                + "| benchmark | target | measured | |\n|---|---|---:|---|\n");
        lines.forEach(l -> md.append("| ").append(String.join(" | ", l)).append(" |\n"));
        return md.append('\n').toString();
    }

    private void ratioLine(List<String[]> lines, JmhTable.Key key, double target, String description) {
        Optional<JmhRow> core = table.find(key, AllocatorConfig.EMMA_CORE, "");
        Optional<JmhRow> glibc = table.find(key, AllocatorConfig.GLIBC, "");
        if (core.isEmpty() || glibc.isEmpty()) {
            return;
        }
        double ratio = core.get().score() / glibc.get().score();
        lines.add(new String[] {key.label() + ", " + Format.size(key.size()), description, Format.ratio(ratio),
                ratio >= target ? "met" : "**not met**"});
    }
}
