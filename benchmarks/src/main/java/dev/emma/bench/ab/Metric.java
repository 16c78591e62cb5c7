package dev.emma.bench.ab;

import java.util.function.ToDoubleFunction;

/**
 * A row of the A/B table: what one run contributes (NaN when it was not measured), how it is
 * shown, and whether its ratio to {@code none} is shown (taken rep by rep: each pair ran side by side).
 */
enum Metric {
    PEAK_RSS("peak RSS (VmHWM), MiB", Unit.MIB, true, false,
            r -> r.samples().stream().mapToDouble(Sample::hwmBytes).max().orElse(Double.NaN)),
    MEAN_RSS_UNDER_LOAD("mean RSS under load, MiB", Unit.MIB, true, false,
            r -> r.samples().stream().filter(s -> s.phase() == Sample.Phase.MEASURE).mapToLong(Sample::rssBytes).average().orElse(Double.NaN)),
    RSS_AFTER_IDLE("RSS after idle, MiB", Unit.MIB, true, false, r -> rss(r.lastOf(Sample.Phase.IDLE))),
    ANON_AFTER_IDLE("anonymous RSS after idle, MiB", Unit.MIB, true, false, r -> anon(r.lastOf(Sample.Phase.IDLE))),
    THROUGHPUT("wrk requests/s", Unit.COUNT, true, false, r -> r.wrk().map(w -> w.requestsPerSecond()).orElse(Double.NaN)),
    P99_LATENCY("wrk p99 latency, ms", Unit.MILLIS, true, false, r -> r.wrk().map(w -> w.p99Millis()).orElse(Double.NaN)),
    DIRECT_BUFFERS("JDK direct buffers at end of load, MiB", Unit.MIB, false, false,
            r -> r.last(Sample.Phase.MEASURE, JmxProbe.DIRECT_PREFIX + "MemoryUsed")),
    EMMA_SHARE("Emma's share of Java off-heap bytes", Unit.PERCENT, false, true, r -> r.last(null, "emma.EmmaShare")),
    EMMA_BYTES("  bytes Emma served, MiB", Unit.MIB, false, true, r -> r.last(null, "emma.EmmaBytes")),
    NATIVE_BYTES("  bytes that stayed native, MiB", Unit.MIB, false, true, r -> r.last(null, "emma.NativeBytes")),
    FALLBACKS("fallbacks to the native allocator", Unit.COUNT, false, true, r -> r.last(null, "emma.Fallbacks")),
    FOREIGN_FREES("foreign frees", Unit.COUNT, false, true, r -> r.last(null, "emma.ForeignFrees")),
    AGENT_ALLOCATIONS("allocations the agent routed, in all", Unit.COUNT, false, true, r -> r.last(null, "emma.TotalAllocations")),
    AGENT_LIVE("agent's LiveBytes at end of load, MiB", Unit.MIB, false, true, r -> r.last(Sample.Phase.MEASURE, "emma.LiveBytes")),
    EMMA_MAPPED("Emma's MappedBytes at end of load, MiB", Unit.MIB, false, true, r -> r.last(Sample.Phase.MEASURE, "emma.MappedBytes"));

    /** How a figure is shown: a divisor to the display unit and a format for the number. */
    enum Unit {
        MIB(1024.0 * 1024, "%,.0f"), COUNT(1, "%,.0f"), MILLIS(1, "%.2f"), PERCENT(0.01, "%.0f%%");

        final double divisor;
        private final String pattern;

        Unit(double divisor, String pattern) {
            this.divisor = divisor;
            this.pattern = pattern;
        }

        /** The format for numbers around {@code magnitude} (in this unit): small MiB figures keep decimals, 0.3 MiB is not 0. */
        String pattern(double magnitude) {
            if (this != MIB || magnitude == 0 || Math.abs(magnitude) >= 10) {
                return pattern;
            }
            return Math.abs(magnitude) >= 1 ? "%.1f" : "%.2f";
        }
    }

    private final String label;
    private final Unit unit;
    private final boolean ratioToNone;
    private final boolean fromAgent;
    private final ToDoubleFunction<RunResult> extractor;

    Metric(String label, Unit unit, boolean ratioToNone, boolean fromAgent, ToDoubleFunction<RunResult> extractor) {
        this.label = label;
        this.unit = unit;
        this.ratioToNone = ratioToNone;
        this.fromAgent = fromAgent;
        this.extractor = extractor;
    }

    String key() {
        return name();
    }

    String label() {
        return label;
    }

    Unit unit() {
        return unit;
    }

    boolean ratioToNone() {
        return ratioToNone;
    }

    /** Read from the agent's MBean: meaningless without the agent, "n/a" in an agent arm whose agent lacks it. */
    boolean fromAgent() {
        return fromAgent;
    }

    double of(RunResult run) {
        return extractor.applyAsDouble(run);
    }

    private static double rss(Sample sample) {
        return sample == null ? Double.NaN : sample.rssBytes();
    }

    private static double anon(Sample sample) {
        return sample == null || sample.anonBytes() < 0 ? Double.NaN : sample.anonBytes();
    }
}
