package dev.emma.bench.ab;

import static dev.emma.bench.ab.Runs.MIB;
import static dev.emma.bench.ab.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.bench.harness.Wrk;
import dev.emma.bench.report.Spread;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void medianAndRangeOverReps() {
        Summary summary = new Summary(List.of(run(Arm.NONE, 1, 100), run(Arm.NONE, 2, 300), run(Arm.NONE, 3, 200)));

        Spread peak = summary.spread(Arm.NONE, Metric.PEAK_RSS);

        assertEquals(200 * MIB, peak.median());
        assertEquals(100 * MIB, peak.min());
        assertEquals(300 * MIB, peak.max());
        assertEquals(3, peak.count());
    }

    @Test
    void ratiosToNoneAreTakenRepByRep() {
        // none 100, 300, 200; emma 90, 330, 150: per rep 0.9, 1.1, 0.75 (median 0.9),
        // while the ratio of the medians would say 150 / 200 = 0.75
        Summary summary = new Summary(List.of(
                run(Arm.NONE, 1, 100), run(Arm.EMMA, 1, 90),
                run(Arm.NONE, 2, 300), run(Arm.EMMA, 2, 330),
                run(Arm.NONE, 3, 200), run(Arm.EMMA, 3, 150)));

        Spread ratio = summary.ratio(Arm.EMMA, Arm.NONE, Metric.PEAK_RSS);

        assertEquals(0.9, ratio.median(), 1e-9);
        assertEquals(0.75, ratio.min(), 1e-9);
        assertEquals(1.1, ratio.max(), 1e-9);
        assertEquals(150 * MIB, summary.spread(Arm.EMMA, Metric.PEAK_RSS).median());
    }

    @Test
    void aRunThatDidNotRunIsLeftOutOfTheFiguresAndItsPairToo() {
        RunResult failed = run(Arm.EMMA, 2, 999, 999, 999, Map.of(), Optional.empty(), "service exited early");
        Summary summary = new Summary(List.of(
                run(Arm.NONE, 1, 100), run(Arm.EMMA, 1, 110),
                run(Arm.NONE, 2, 100), failed));

        assertEquals(1, summary.spread(Arm.EMMA, Metric.PEAK_RSS).count());
        assertEquals(110 * MIB, summary.spread(Arm.EMMA, Metric.PEAK_RSS).median());
        assertEquals(1, summary.ratio(Arm.EMMA, Arm.NONE, Metric.PEAK_RSS).count());
        assertEquals(1.1, summary.ratio(Arm.EMMA, Arm.NONE, Metric.PEAK_RSS).median(), 1e-9);
    }

    @Test
    void eachFigureComesFromItsPhase() {
        RunResult run = run(Arm.EMMA, 1, 300, 250, 120,
                Map.of("emma.EmmaShare", 0.97, "emma.Fallbacks", 3.0, "direct.MemoryUsed", 5.0 * MIB),
                Optional.of(new Wrk.Result(1234.5, 2.5)), null);

        assertEquals(300 * MIB, Metric.PEAK_RSS.of(run));
        assertEquals(250 * MIB, Metric.MEAN_RSS_UNDER_LOAD.of(run));
        assertEquals(120 * MIB, Metric.RSS_AFTER_IDLE.of(run));
        assertEquals(60 * MIB, Metric.ANON_AFTER_IDLE.of(run));
        assertEquals(0.97, Metric.EMMA_SHARE.of(run));
        assertEquals(3.0, Metric.FALLBACKS.of(run));
        assertEquals(5.0 * MIB, Metric.DIRECT_BUFFERS.of(run));
        assertEquals(1234.5, Metric.THROUGHPUT.of(run));
        assertEquals(2.5, Metric.P99_LATENCY.of(run));
        assertTrue(Double.isNaN(Metric.FOREIGN_FREES.of(run)), "an attribute the agent does not publish is NaN, shown n/a");
    }

    @Test
    void theMeanUnderLoadTakesOnlyTheMeasuredWindow() {
        List<Sample> samples = List.of(
                new Sample(0, Sample.Phase.WARMUP, 1000 * MIB, 1000 * MIB, 0, Map.of()),
                new Sample(200, Sample.Phase.MEASURE, 100 * MIB, 1000 * MIB, 0, Map.of()),
                new Sample(400, Sample.Phase.MEASURE, 200 * MIB, 1000 * MIB, 0, Map.of()),
                new Sample(600, Sample.Phase.IDLE, 1 * MIB, 1000 * MIB, 0, Map.of()));
        RunResult run = new RunResult(Arm.NONE, 1, samples, Optional.empty(), null, List.of(), List.of(), AgentReport.NONE);

        assertEquals(150 * MIB, Metric.MEAN_RSS_UNDER_LOAD.of(run));
    }
}
