package dev.emma.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Netty hello-world server under each configuration that goes through the JDK's allocation
 * path (the Emma core is not reachable from Netty without the agent), with Netty's default
 * allocator and with {@code -Dio.netty.allocator.type=unpooled}, loaded by wrk on loopback.
 * Rounds are interleaved as in {@link WorkloadSuite}.
 */
final class NettySuite {

    static final List<String> ALLOCATOR_TYPES = List.of("default", "unpooled");

    private final Path java;
    private final Path jar;
    private final Path outDir;
    private final PrintStream progress;
    private final int warmupSeconds;
    private final int seconds;

    NettySuite(Path java, Path jar, Path outDir, PrintStream progress, int warmupSeconds, int seconds) {
        this.java = java;
        this.jar = jar;
        this.outDir = outDir;
        this.progress = progress;
        this.warmupSeconds = warmupSeconds;
        this.seconds = seconds;
    }

    static String workloadId(String allocatorType) {
        return "netty-" + allocatorType;
    }

    List<RunRecord> run(List<AllocatorConfig> configs, int rounds) throws IOException, InterruptedException {
        List<RunRecord> records = new ArrayList<>();
        Files.createDirectories(outDir.resolve("rss"));
        List<AllocatorConfig> jdkPath = configs.stream().filter(AllocatorConfig::viaJdkPath).toList();
        for (int round = 1; round <= rounds; round++) {
            for (String type : ALLOCATOR_TYPES) {
                for (AllocatorConfig config : WorkloadSuite.rotate(jdkPath, round - 1)) {
                    RunRecord record = runOnce(config, type, round);
                    records.add(record);
                    progress.printf(Locale.ROOT, "  round %d  %-15s %-11s %s%n", round, workloadId(type), config.id(),
                            record.ok() ? String.format(Locale.ROOT, "%,.0f req/s, p99 %.2f ms, peak RSS %,d MiB",
                                    record.value("throughput"), record.value("p99Millis"), (long) record.value("peakRssBytes") >> 20)
                                    : "FAILED: " + record.outcome().failure());
                }
            }
        }
        return records;
    }

    private RunRecord runOnce(AllocatorConfig config, String type, int round) throws IOException, InterruptedException {
        String id = workloadId(type);
        List<String> jvmArgs = type.equals("unpooled") ? List.of("-Dio.netty.allocator.type=unpooled") : List.of();
        try (ChildJvm server = ChildJvm.start(java, jar, config, jvmArgs, WorkloadSpec.PACKAGE + "NettyHello", List.of(),
                outDir.resolve("rss").resolve(id + "-" + config.id() + "-r" + round + ".stderr.log"), 100)) {
            String ready = server.awaitLine("READY", 30_000);
            Optional<Wrk.Result> measured = Optional.empty();
            Map<String, String> readyFields = ready == null ? Map.of() : ChildJvm.parseFields(ready.substring(6));
            if (ready != null) {
                int port = Integer.parseInt(readyFields.get("port"));
                Wrk.run(port, 32, warmupSeconds); // JIT warm-up and pool growth; not counted
                measured = Wrk.run(port, 32, seconds);
            }
            server.closeStdin();
            ChildJvm.Outcome outcome = server.await(20_000);
            Map<String, String> result = new LinkedHashMap<>(outcome.result());
            result.put("nettyAllocator", readyFields.getOrDefault("allocator", "?"));
            String failure = ready == null ? "server did not start" : measured.isEmpty() ? "wrk gave no result" : outcome.failure();
            measured.ifPresent(m -> {
                result.put("throughput", Double.toString(m.requestsPerSecond()));
                result.put("p99Millis", Double.toString(m.p99Millis()));
            });
            return new RunRecord(id, config.id(), round,
                    new ChildJvm.Outcome(result, outcome.samples(), outcome.phases(), outcome.sampledPeakBytes(), failure));
        }
    }
}
