package dev.emma.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emma.bench.harness.ChildJvm;
import dev.emma.bench.harness.RunRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTest {

    private static RunRecord run(String config, int round, double throughput, String failure) {
        return new RunRecord("larson", config, round,
                new ChildJvm.Outcome(Map.of("throughput", Double.toString(throughput)), List.of(), Map.of(), 0, failure));
    }

    @Test
    void ratiosArePairedRoundByRoundAndFailedRunsAreLeftOut() {
        Results results = new Results(List.of(
                run("glibc", 1, 100, null), run("x", 1, 150, null),
                run("glibc", 2, 200, null), run("x", 2, 200, null),
                run("glibc", 3, 100, null), run("x", 3, 400, "exit code 1"),
                run("x", 4, 50, null))); // no glibc partner in round 4

        Spread ratio = results.ratio("larson", "x", "glibc", "throughput");

        assertEquals(new Spread(1.25, 1.0, 1.5, 2), ratio);
        assertEquals(new Spread(150, 50, 200, 3), results.spread("larson", "x", "throughput"));
        assertEquals(1, results.failures().size());
    }

    @Test
    void medianRunIsTheMiddleOne() {
        Results results = new Results(List.of(run("x", 1, 5, null), run("x", 2, 1, null), run("x", 3, 3, null)));
        assertEquals(3, results.medianRun("larson", "x", "throughput").round());
    }
}
