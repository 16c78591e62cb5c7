package dev.emma.bench.ab;

import dev.emma.bench.harness.ChildJvm;
import dev.emma.bench.harness.RunRecord;
import dev.emma.bench.harness.Wrk;
import dev.emma.bench.proc.RssSampler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of one arm: its samples, what the load tool measured, and what went wrong.
 *
 * @param failure why the arm did not run to its end (then its figures are left out of the
 *                statistics), or null
 * @param files   the run's files, relative to the output directory: stderr log, stdout, load output
 * @param agent   what the agent printed at exit (coverage report, top sites); {@link AgentReport#NONE} without the agent
 */
public record RunResult(Arm arm, int rep, List<Sample> samples, Optional<Wrk.Result> wrk, String failure,
                        List<Problem> problems, List<String> files, AgentReport agent) {

    public boolean ran() {
        return failure == null;
    }

    /** The last value of an attribute in a phase (or in any phase with null), NaN if never read. */
    double last(Sample.Phase phase, String attribute) {
        for (Sample sample : samples.reversed()) {
            if ((phase == null || sample.phase() == phase) && sample.attributes().containsKey(attribute)) {
                return sample.attribute(attribute);
            }
        }
        return Double.NaN;
    }

    /** The last sample of a phase, or null. */
    Sample lastOf(Sample.Phase phase) {
        for (Sample sample : samples.reversed()) {
            if (sample.phase() == phase) {
                return sample;
            }
        }
        return null;
    }

    /** Every figure of the report for this run ({@link Metric} keys; NaN where not measured). */
    Map<String, Double> figures() {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            figures.put(metric.key(), metric.of(this));
        }
        return figures;
    }

    /** As the benchmark harness's record, so that its statistics (medians, per-round ratios) serve here too. */
    RunRecord record() {
        Map<String, String> result = new LinkedHashMap<>();
        figures().forEach((key, value) -> result.put(key, Double.toString(value)));
        List<RssSampler.Sample> rss = samples.stream().map(s -> new RssSampler.Sample(s.millis(), s.rssBytes())).toList();
        long peak = samples.stream().mapToLong(Sample::hwmBytes).max().orElse(0);
        return new RunRecord("ab", arm.id(), rep, new ChildJvm.Outcome(result, rss, Map.of(), peak, failure));
    }
}
