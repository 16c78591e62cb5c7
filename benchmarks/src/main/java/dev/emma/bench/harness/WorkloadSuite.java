package dev.emma.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every workload under every configuration, {@code rounds} times, interleaved: round 1 runs
 * A B C D E, round 2 B C D E A, and so on, so that drift of the machine (another process, thermal
 * state) spreads over all configurations instead of landing on one.
 */
final class WorkloadSuite {

    private final Path java;
    private final Path jar;
    private final Path outDir;
    private final PrintStream progress;

    WorkloadSuite(Path java, Path jar, Path outDir, PrintStream progress) {
        this.java = java;
        this.jar = jar;
        this.outDir = outDir;
        this.progress = progress;
    }

    List<RunRecord> run(List<WorkloadSpec> workloads, List<AllocatorConfig> configs, int rounds)
            throws IOException, InterruptedException {
        List<RunRecord> records = new ArrayList<>();
        Files.createDirectories(outDir.resolve("rss"));
        for (int round = 1; round <= rounds; round++) {
            for (WorkloadSpec workload : workloads) {
                for (AllocatorConfig config : rotate(configs, round - 1)) {
                    RunRecord record = runOnce(workload, config, round);
                    records.add(record);
                    progress.printf(Locale.ROOT, "  round %d  %-13s %-11s %s%n", round, workload.id(), config.id(),
                            record.ok() ? String.format(Locale.ROOT, "%,.0f %s, peak RSS %,d MiB", record.value("throughput"),
                                    workload.unit(), (long) record.value("peakRssBytes") >> 20)
                                    : "FAILED: " + record.outcome().failure());
                }
            }
        }
        return records;
    }

    private RunRecord runOnce(WorkloadSpec workload, AllocatorConfig config, int round)
            throws IOException, InterruptedException {
        String name = workload.id() + "-" + config.id() + "-r" + round;
        try (ChildJvm child = ChildJvm.start(java, jar, config, jvmArgs(workload), workload.mainClass(), workload.args().apply(config),
                outDir.resolve("rss").resolve(name + ".stderr.log"), 50)) {
            ChildJvm.Outcome outcome = child.await(workload.timeoutMillis());
            writeSeries(outDir.resolve("rss").resolve(name + ".csv"), outcome);
            return new RunRecord(workload.id(), config.id(), round, outcome);
        }
    }

    /** The JVM options a workload gets besides the common ones and its configuration's. */
    static List<String> jvmArgs(WorkloadSpec workload) {
        List<String> jvmArgs = new ArrayList<>(List.of(ChildJvm.OWN_UNSAFE_JVM_ARG));
        jvmArgs.addAll(workload.jvmArgs());
        return jvmArgs;
    }

    static <T> List<T> rotate(List<T> list, int by) {
        List<T> rotated = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            rotated.add(list.get((i + by) % list.size()));
        }
        return rotated;
    }

    private static void writeSeries(Path file, ChildJvm.Outcome outcome) throws IOException {
        StringBuilder csv = new StringBuilder("millis,rssBytes\n");
        outcome.samples().forEach(s -> csv.append(s.millis()).append(',').append(s.rssBytes()).append('\n'));
        for (Map.Entry<String, Long> phase : outcome.phases().entrySet()) {
            csv.append("# phase ").append(phase.getKey()).append(" at ").append(phase.getValue()).append(" ms\n");
        }
        Files.writeString(file, csv);
    }
}
