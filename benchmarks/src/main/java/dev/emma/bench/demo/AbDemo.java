package dev.emma.bench.demo;

import dev.emma.bench.harness.AllocatorConfig;
import dev.emma.bench.harness.ChildJvm;
import dev.emma.bench.harness.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The README's A/B demo (what {@code scripts/ab-demo} runs): the same direct-buffer workload in
 * three JVMs — without the agent, with {@code -javaagent:emma-agent.jar=mode=passthrough} (the
 * control arm: instrumented, native allocator) and with {@code mode=emma} — and a side-by-side
 * table on stdout.
 *
 * <p>Options: {@code --agent PATH} (default agent/target/emma-agent.jar), {@code --jar PATH}
 * (default benchmarks/target/benchmarks.jar), {@code --seconds N} (churn phase, default 3),
 * {@code --spike-mib N} (default 512).
 */
public final class AbDemo {

    private static final String WORKLOAD = "dev.emma.bench.workload.DirectBufferDemo";

    public static void main(String[] argv) throws Exception {
        Path agent = Path.of("agent/target/emma-agent.jar");
        Path jar = Path.of("benchmarks/target/benchmarks.jar");
        String seconds = "3";
        String spikeMiB = "512";
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--agent" -> agent = Path.of(argv[++i]);
                case "--jar" -> jar = Path.of(argv[++i]);
                case "--seconds" -> seconds = argv[++i];
                case "--spike-mib" -> spikeMiB = argv[++i];
                default -> throw new IllegalArgumentException("unknown option " + argv[i]
                        + "; valid: --agent PATH, --jar PATH, --seconds N, --spike-mib N");
            }
        }
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Path logs = Files.createDirectories(Path.of("benchmarks/results/ab-demo"));
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors());
        List<String> args = List.of("threads=" + threads, "seconds=" + seconds, "spikeMiB=" + spikeMiB, "idleSeconds=5");

        System.out.printf(Locale.ROOT, "Emma A/B demo: %d threads churn direct buffers (64 B-256 KiB, 1 in 8 freed by another "
                + "thread) for %s s,%nthen a %s MiB spike of 256 B-1 MiB buffers freed cross-thread, then 5 s idle. "
                + "Same workload, three JVMs (%s, %d cores):%n%n", threads, seconds, spikeMiB,
                System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors());

        List<Arm> arms = List.of(
                new Arm("no agent", List.of()),
                new Arm("agent, passthrough", List.of("-javaagent:" + agent + "=mode=passthrough")),
                new Arm("agent, emma", List.of("-javaagent:" + agent + "=mode=emma")));
        List<RunRecord> runs = new ArrayList<>();
        for (Arm arm : arms) {
            boolean needsAgent = !arm.jvmArgs().isEmpty();
            if (needsAgent && !Files.isRegularFile(agent)) {
                System.out.printf(Locale.ROOT, "  %-19s skipped, %s does not exist (build the agent module)%n", arm.name() + ":", agent);
                runs.add(null);
                continue;
            }
            AllocatorConfig config = new AllocatorConfig(arm.name(), arm.name(), Map.of(), arm.jvmArgs(), "unsafe", null);
            long start = System.nanoTime();
            try (ChildJvm child = ChildJvm.start(java, jar, config, List.of(), WORKLOAD, args,
                    logs.resolve(arm.name().replaceAll("\\W+", "-") + ".stderr.log"), 100)) {
                RunRecord run = new RunRecord("ab-demo", arm.name(), 1, child.await(120_000));
                runs.add(run);
                System.out.printf(Locale.ROOT, "  %-19s %s (%.0f s)%n", arm.name() + ":",
                        run.ok() ? "done" : "FAILED, " + run.outcome().failure() + "; see " + logs, (System.nanoTime() - start) / 1e9);
            }
        }
        System.out.println();
        System.out.print(table(arms, runs));
        System.out.println();
        System.out.println("Peak RSS is the kernel's VmHWM; RSS after idle is VmRSS after the idle phase. Emma's counters come");
        System.out.println("from the agent's MBean dev.emma:type=Allocator (or Emma.global().stats() without the MBean).");
        System.out.println("One run per arm: for medians over interleaved runs use scripts/bench.");
    }

    private record Arm(String name, List<String> jvmArgs) {
    }

    static String table(List<Arm> arms, List<RunRecord> runs) {
        String[][] rows = {
                {"throughput (buffers/s)", "throughput", "%,.0f", "1"},
                {"peak RSS (MiB)", "peakRssBytes", "%,.0f", "1048576"},
                {"RSS after idle (MiB)", "rssAfterIdleBytes", "%,.0f", "1048576"},
                {"Emma live (MiB)", "emmaLiveBytes", "%,.1f", "1048576"},
                {"Emma mapped (MiB)", "emmaMappedBytes", "%,.1f", "1048576"},
        };
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-24s", ""));
        arms.forEach(a -> out.append(String.format(Locale.ROOT, "%20s", a.name())));
        out.append('\n');
        for (String[] row : rows) {
            out.append(String.format(Locale.ROOT, "%-24s", row[0]));
            for (RunRecord run : runs) {
                double value = run == null || !run.ok() ? Double.NaN : run.value(row[1]) / Double.parseDouble(row[3]);
                out.append(String.format(Locale.ROOT, "%20s", Double.isNaN(value) ? "-" : String.format(Locale.ROOT, row[2], value)));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
