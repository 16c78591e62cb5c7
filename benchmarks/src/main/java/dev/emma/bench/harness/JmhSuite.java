package dev.emma.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JMH suite once per allocator configuration (same jar, same options, one after the
 * other) and collects the rows. The Emma core rows come from the glibc run ({@code impl=emma});
 * the others run {@code impl=unsafe} only, since their allocator sits under {@code Unsafe}.
 */
final class JmhSuite {

    /**
     * Benchmark selection and iteration settings. Two warm-up iterations: Emma's Java code needs
     * C2 before it is measured (native allocators do not), and one short warm-up was seen to leave
     * the first measured iteration in C1.
     */
    record Plan(String part, List<String> includes, List<String> extraParams, int warmups, String warmupTime,
                int iterations, String iterationTime) {

        /** A plan whose results file is the configuration's own ({@code part} names a second one). */
        Plan(List<String> includes, List<String> extraParams, int warmups, String warmupTime, int iterations,
             String iterationTime) {
            this("", includes, extraParams, warmups, warmupTime, iterations, iterationTime);
        }

        /**
         * The full run: the allocator benchmarks, then allocateDirect on its own with 1 s iterations.
         * A direct buffer costs a Java object, a Cleaner and GC work: in 0.4 s iterations it was
         * still warming up (4 KiB through the agent 1.59 +- 9 ops/us in a full run, 5.1-5.2 with
         * 3 x 1 s of warm-up, glibc 2.6 and 4.0 likewise).
         */
        static List<Plan> full() {
            return List.of(
                    new Plan(List.of("PairBenchmark", "ThreadedPairBenchmark", "BatchBenchmark", "ReallocBenchmark",
                            "ProducerConsumerBenchmark"), List.of(), 2, "400ms", 3, "400ms"),
                    new Plan("-direct", List.of("DirectBufferBenchmark"), List.of(), 3, "1s", 3, "1s"));
        }

        static Plan quick() {
            return new Plan(List.of("PairBenchmark.pair1", "ProducerConsumerBenchmark", "ReallocBenchmark", "DirectBufferBenchmark"),
                    List.of("-p", "size=64,4096"), 2, "300ms", 2, "300ms");
        }

        List<String> commandLine() {
            List<String> args = new ArrayList<>(includes);
            args.addAll(extraParams);
            args.addAll(List.of("-f", "1", "-wi", Integer.toString(warmups), "-w", warmupTime,
                    "-i", Integer.toString(iterations), "-r", iterationTime, "-to", "60s", "-prof", "gc"));
            return args;
        }
    }

    private final Path java;
    private final Path jar;
    private final Path outDir;

    JmhSuite(Path java, Path jar, Path outDir) {
        this.java = java;
        this.jar = jar;
        this.outDir = outDir;
    }

    /** Runs the plan under {@code config} with each of {@code impls} ({@code unsafe}, {@code emma}, {@code emmacall}). */
    List<JmhRow> run(AllocatorConfig config, List<String> impls, Plan plan) throws IOException, InterruptedException {
        Path csv = outDir.resolve("jmh-" + config.id() + plan.part() + ".csv");
        Path log = outDir.resolve("jmh-" + config.id() + plan.part() + ".log");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--sun-misc-unsafe-memory-access=allow", "-jar", jar.toString()));
        command.addAll(plan.commandLine());
        command.addAll(List.of("-p", "impl=" + String.join(",", impls),
                "-rf", "csv", "-rff", csv.toString(),
                "-jvmArgsAppend", String.join(" ", forkJvmArgs(config))));
        Files.deleteIfExists(csv);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(config.env());
        Process process = builder.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) { // a hung fork must not eat the whole run's budget
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (!Files.exists(csv)) {
            throw new IOException("JMH under " + config.id() + " wrote no results; see " + log);
        }
        return JmhRow.parse(Files.readAllLines(csv), config.id());
    }

    /** JMH replaces the annotations' jvmArgsAppend with ours: repeat the common flags. */
    private static List<String> forkJvmArgs(AllocatorConfig config) {
        List<String> args = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        args.addAll(config.jvmArgs());
        return args;
    }
}
