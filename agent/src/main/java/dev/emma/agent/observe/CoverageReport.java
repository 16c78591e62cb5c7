package dev.emma.agent.observe;

import java.util.List;
import java.util.Locale;

/**
 * The coverage report, the way jemalloc's {@code stats_print} or NMT's summary give theirs: how much
 * of the Java-level off-heap memory Emma served, what stayed native and why, what is live per
 * route, Emma's mapped and resident memory, and the effective configuration. Made of the figures the
 * MBean publishes (each line names its attributes, see {@link Attribute}); logged at exit with
 * {@code summary}, and served by the MBean operation {@code coverageReport}.
 *
 * <p>The first and last lines are fixed ({@link #FIRST_LINE_PREFIX}, {@link #LAST_LINE}) so that a
 * reader of the log (the A/B runner) finds it whatever the logging backend puts around it.
 */
public final class CoverageReport {

    public static final String FIRST_LINE_PREFIX = "emma-agent: coverage report";
    public static final String LAST_LINE = "emma-agent: end of coverage report";

    private final StringBuilder text = new StringBuilder();

    private CoverageReport() {
    }

    /**
     * @param when          e.g. {@code at exit}
     * @param configuration the effective options, {@code key=value} each
     */
    public static String text(AllocatorReading r, List<String> configuration, String when) {
        return new CoverageReport().render(r, configuration, when);
    }

    private String render(AllocatorReading r, List<String> configuration, String when) {
        boolean emma = r.mode().equals("emma");
        line(FIRST_LINE_PREFIX + " (mode=" + r.mode() + ", " + when + ")");
        line("Java-level off-heap bytes allocated since the agent became active (requested bytes; Emma's: usable bytes):");
        row("served by Emma", Bytes.format(r.emmaBytes()), emma ? "EmmaBytes" : "passthrough: the native allocator serves everything, the agent counts it");
        row("stayed native", Bytes.format(r.nativeBytes()), "NativeBytes" + (emma ? "" : " (estimated)") + ", of which:");
        long rest = Math.max(0, r.nativeBytes() - r.nativeBytesBeforeActivation() - r.uncoveredBytes());
        subrow("before activation", Bytes.format(r.nativeBytesBeforeActivation()),
                "direct buffers and arenas live when the agent became active, freed natively (NativeBytesBeforeActivation)");
        subrow("route not covered", Bytes.format(r.uncoveredBytes()),
                "Linker downcalls of callers outside the linker option's scope (UncoveredBytes)");
        if (emma) {
            subrow("fallbacks and others", Bytes.format(rest), count(r.fallbacks()) + " allocations Emma could not serve (Fallbacks),"
                    + " foreign blocks reallocated natively");
        } else {
            subrow("routed and counted", Bytes.format(rest), "every other allocation, served natively by design (passthrough)");
        }
        row("Emma's share", String.format(Locale.ROOT, "%.1f%%", r.emmaShare() * 100), "EmmaShare: of served by Emma + stayed native");

        long application = r.directBufferAllocations() + r.ffmAllocations() + r.linkerAllocations() + r.unsafeAllocations();
        line("Allocations since activation: " + count(r.totalAllocations()) + " (TotalAllocations" + (emma ? ")" : ", estimated)"));
        row("application", count(application), "direct " + count(r.directBufferAllocations()) + ", ffm " + count(r.ffmAllocations())
                + ", linker " + count(r.linkerAllocations()) + ", unsafe " + count(r.unsafeAllocations()));
        row("JDK-internal", count(r.jdkInternalAllocations()), Bytes.format(r.jdkInternalBytes())
                + ": the JDK's own use of its internal Unsafe (JdkInternalAllocations, JdkInternalBytes)");
        row("frees", count(r.totalFrees()), "foreign " + count(r.foreignFrees()) + " (to the native allocator), failed "
                + count(r.failedFrees()) + "; reallocations " + count(r.totalReallocations()));

        line("Live now: " + Bytes.format(r.liveBytes()) + " in " + count(r.liveAllocations()) + " blocks (LiveBytes, LiveAllocations"
                + (emma ? ")" : ", estimated)"));
        row("direct buffers", Bytes.format(r.directBufferLiveBytes()), "DirectBufferLiveBytes (exact)");
        row("FFM arenas", Bytes.format(r.ffmLiveBytes()), "FfmLiveBytes (exact)");
        row("Linker", Bytes.format(r.linkerLiveBytes()), "LinkerLiveBytes (estimated)");
        row(emma ? "Unsafe and JDK-internal" : "Unsafe", Bytes.format(r.unsafeLiveBytes()),
                emma ? "UnsafeLiveBytes: the rest of LiveBytes" : "UnsafeLiveBytes (estimated)");
        if (emma) {
            String resident = r.mappedBytes() == 0 ? "" : String.format(Locale.ROOT, " (%.0f%% of mapped)", 100.0 * r.residentBytes() / r.mappedBytes());
            line("Emma's memory: mapped " + Bytes.format(r.mappedBytes()) + ", resident " + Bytes.format(r.residentBytes()) + resident
                    + " (MappedBytes, ResidentBytes)");
        } else {
            line("Emma's memory: none (passthrough)");
        }
        line("Configuration: " + String.join(" ", configuration));
        line(LAST_LINE);
        return text.toString();
    }

    private void line(String line) {
        text.append(line).append('\n');
    }

    private void row(String label, String value, String note) {
        text.append(String.format(Locale.ROOT, "  %-25s %12s  %s\n", label, value, note));
    }

    private void subrow(String label, String value, String note) {
        text.append(String.format(Locale.ROOT, "    %-23s %12s  %s\n", label, value, note));
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
