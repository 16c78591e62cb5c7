package dev.emma.bench.workload;

import dev.emma.bench.memory.EmmaAgent;
import dev.emma.bench.proc.ProcStatus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a workload tells the harness, on stdout, one line each: {@code PHASE name} when a phase
 * begins (the harness timestamps it against its RSS samples) and, last, {@code RESULT k=v ...}.
 * Every result carries {@code throughput} (in the workload's own unit) and the kernel's peak RSS.
 */
final class ResultLine {

    private final Map<String, String> fields = new LinkedHashMap<>();

    /**
     * Waits for the Emma agent, when the JVM has one, to become active and prints
     * {@code PHASE agent mode=...}; without the agent it returns at once.
     */
    static void awaitAgent() {
        String mode = EmmaAgent.awaitActive(30_000);
        if (!mode.equals("none")) {
            phase("agent mode=" + mode);
        }
    }

    static void phase(String name) {
        System.out.println("PHASE " + name);
        System.out.flush();
    }

    ResultLine put(String key, double value) {
        fields.put(key, String.format(Locale.ROOT, "%.6g", value));
        return this;
    }

    ResultLine put(String key, long value) {
        fields.put(key, Long.toString(value));
        return this;
    }

    ResultLine put(String key, String value) {
        fields.put(key, value);
        return this;
    }

    /** Adds the peak and current resident size and prints the line. */
    void print() {
        ProcStatus status = ProcStatus.self();
        put("peakRssBytes", status.hwmBytes());
        put("rssEndBytes", status.rssBytes());
        System.out.println("RESULT " + fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
        System.out.flush();
    }
}
