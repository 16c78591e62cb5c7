package dev.emma.bench.ab;

import dev.emma.bench.report.Results;
import dev.emma.bench.report.Spread;
import java.util.List;

/**
 * The statistics of an experiment, with the benchmark harness's own: per arm, the median and range
 * of each figure over the runs that ran; ratios to {@code none} taken rep by rep (a run and its
 * {@code none} ran minutes apart at most, so slow drift of the machine cancels), then summarised.
 */
final class Summary {

    private final List<RunResult> runs;
    private final Results results;

    Summary(List<RunResult> runs) {
        this.runs = List.copyOf(runs);
        this.results = new Results(runs.stream().map(RunResult::record).toList());
    }

    Spread spread(Arm arm, Metric metric) {
        return results.spread("ab", arm.id(), metric.key());
    }

    /** The arm's figure over {@code base}'s in the same rep, summarised over reps; empty without {@code base}. */
    Spread ratio(Arm arm, Arm base, Metric metric) {
        return results.ratio("ab", arm.id(), base.id(), metric.key());
    }

    /** Whether any run of any arm has this figure (rows nobody measured are left out of the table). */
    boolean measured(Metric metric) {
        return runs.stream().filter(RunResult::ran).anyMatch(r -> !Double.isNaN(metric.of(r)));
    }

    List<RunResult> runs() {
        return runs;
    }

    List<RunResult> runs(Arm arm) {
        return runs.stream().filter(r -> r.arm() == arm).toList();
    }
}
