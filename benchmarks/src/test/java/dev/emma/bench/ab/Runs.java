package dev.emma.bench.ab;

import dev.emma.bench.harness.Wrk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Synthetic runs for the statistics and report tests: one sample per phase, figures in MiB. */
final class Runs {

    static final long MIB = 1 << 20;

    private Runs() {
    }

    /**
     * A run whose peak (VmHWM) is {@code peakMiB}, RSS under load {@code loadMiB} and after idle
     * {@code idleMiB}, with {@code attributes} read in every sample.
     */
    static RunResult run(Arm arm, int rep, long peakMiB, long loadMiB, long idleMiB, Map<String, Double> attributes,
                         Optional<Wrk.Result> wrk, String failure) {
        List<Sample> samples = new ArrayList<>();
        samples.add(new Sample(0, Sample.Phase.START, 10 * MIB, 10 * MIB, 5 * MIB, Map.of()));
        samples.add(new Sample(200, Sample.Phase.WARMUP, loadMiB * MIB, loadMiB * MIB, loadMiB * MIB / 2, attributes));
        samples.add(new Sample(400, Sample.Phase.MEASURE, loadMiB * MIB, peakMiB * MIB, loadMiB * MIB / 2, attributes));
        samples.add(new Sample(600, Sample.Phase.MEASURE, loadMiB * MIB, peakMiB * MIB, loadMiB * MIB / 2, attributes));
        samples.add(new Sample(800, Sample.Phase.IDLE, idleMiB * MIB, peakMiB * MIB, idleMiB * MIB / 2, attributes));
        return new RunResult(arm, rep, samples, wrk, failure, List.of(), List.of(arm.id() + "-" + rep + ".log"), AgentReport.NONE);
    }

    static RunResult run(Arm arm, int rep, long peakMiB) {
        return run(arm, rep, peakMiB, peakMiB - 10, peakMiB - 20, Map.of(), Optional.empty(), null);
    }
}
