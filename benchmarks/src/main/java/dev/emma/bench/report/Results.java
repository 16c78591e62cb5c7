package dev.emma.bench.report;

import dev.emma.bench.harness.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Queries over the run records of the workloads: values per configuration and paired ratios. */
public final class Results {

    private final List<RunRecord> records;

    public Results(List<RunRecord> records) {
        this.records = List.copyOf(records);
    }

    /** Successful runs of one workload under one configuration, by round. */
    public Map<Integer, RunRecord> runs(String workload, String config) {
        Map<Integer, RunRecord> byRound = new TreeMap<>();
        for (RunRecord record : records) {
            if (record.ok() && record.workload().equals(workload) && record.config().equals(config)) {
                byRound.put(record.round(), record);
            }
        }
        return byRound;
    }

    public Spread spread(String workload, String config, String key) {
        return Spread.of(runs(workload, config).values().stream().map(r -> r.value(key)).toList());
    }

    /**
     * {@code key} of {@code config} divided by that of {@code baseline}, round by round (each pair
     * ran next to each other), summarised.
     */
    public Spread ratio(String workload, String config, String baseline, String key) {
        Map<Integer, RunRecord> mine = runs(workload, config);
        Map<Integer, RunRecord> theirs = runs(workload, baseline);
        List<Double> ratios = new ArrayList<>();
        for (Map.Entry<Integer, RunRecord> entry : mine.entrySet()) {
            RunRecord other = theirs.get(entry.getKey());
            if (other != null) {
                ratios.add(entry.getValue().value(key) / other.value(key));
            }
        }
        return Spread.of(ratios);
    }

    /** The run whose {@code key} is the median of its configuration (for charts that show one run). */
    public RunRecord medianRun(String workload, String config, String key) {
        List<RunRecord> sorted = runs(workload, config).values().stream()
                .sorted((a, b) -> Double.compare(a.value(key), b.value(key))).toList();
        return sorted.isEmpty() ? null : sorted.get((sorted.size() - 1) / 2);
    }

    /** Failed runs, for the report's honesty section. */
    public List<RunRecord> failures() {
        return records.stream().filter(r -> !r.ok()).toList();
    }

    public List<RunRecord> all() {
        return records;
    }
}
