package dev.emma.bench.demo;

import dev.emma.bench.ab.Arm;
import dev.emma.bench.ab.Schedule;
import dev.emma.bench.harness.AllocatorConfig;
import dev.emma.bench.harness.ChildJvm;
import dev.emma.bench.harness.RunRecord;
import dev.emma.bench.report.Results;
import dev.emma.bench.report.Spread;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The synthetic A/B example (what {@code scripts/ab-demo} runs): the same direct-buffer workload in
 * four JVMs — without the agent, with an agent that does nothing ({@code empty}: what any agent
 * moves, glibc's layout included), with {@code -javaagent:emma-agent.jar=mode=passthrough} (the
 * control arm: instrumented, native allocator) and with {@code mode=emma} — {@code --reps} times,
 * interleaved as {@code scripts/ab} does, and a side-by-side table on stdout: the median and, over
 * more than one rep, the range. For a service of your own, {@code scripts/ab}.
 */
public final class AbDemo {

    static final String USAGE = """
            usage: scripts/ab-demo [--reps N] [--seconds N] [--spike-mib N] [--agent JAR] [--jar JAR]
              Runs one direct-buffer workload (churn, a spike, 5 s idle) without the agent, with an agent that
              does nothing (empty), with mode=passthrough and with Emma, N interleaved reps (default 1: about a minute on 2 cores; 3 shows the spread).
              --seconds: the churn phase (default 3); --spike-mib: the spike (default 512).""";

    private static final String WORKLOAD = "dev.emma.bench.workload.DirectBufferDemo";
    private static final List<Arm> ARMS = List.of(Arm.NONE, Arm.EMPTY, Arm.PASSTHROUGH, Arm.EMMA);

    public static void main(String[] argv) throws Exception {
        Path agent = Path.of("agent/target/emma-agent.jar");
        Path jar = Path.of("benchmarks/target/benchmarks.jar");
        String seconds = "3";
        String spikeMiB = "512";
        int reps = 1;
        try {
            for (int i = 0; i < argv.length; i++) {
                String option = argv[i];
                if (option.equals("--help") || option.equals("-h")) {
                    System.out.println(USAGE);
                    return;
                }
                if (!List.of("--agent", "--jar", "--seconds", "--spike-mib", "--reps").contains(option)) {
                    throw new IllegalArgumentException("unknown option " + option);
                }
                if (i + 1 == argv.length) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = argv[++i];
                switch (option) {
                    case "--agent" -> agent = Path.of(value);
                    case "--jar" -> jar = Path.of(value);
                    case "--seconds" -> seconds = Double.toString(positive(option, Double.parseDouble(value)));
                    case "--spike-mib" -> spikeMiB = Long.toString((long) positive(option, Long.parseLong(value)));
                    default -> reps = (int) positive(option, Integer.parseInt(value));
                }
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included
            System.err.println("ab-demo: " + e.getMessage() + " (--help lists the options)");
            System.exit(2);
        }
        if (!Files.isRegularFile(agent)) {
            System.err.println("ab-demo: agent jar not found: " + agent + " (build it: ./mvnw -B -pl agent -am package)");
            System.exit(2);
        }
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Path logs = Files.createDirectories(Path.of("benchmarks/results/ab-demo"));
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors());
        List<String> args = List.of("threads=" + threads, "seconds=" + seconds, "spikeMiB=" + spikeMiB, "idleSeconds=5");

        System.out.printf(Locale.ROOT, "Emma A/B demo: %d threads churn direct buffers (64 B-256 KiB, 1 in 8 freed by another "
                + "thread) for %s s,%nthen a %s MiB spike of 256 B-1 MiB buffers freed cross-thread, then 5 s idle. "
                + "Same workload, four JVMs, %d rep(s) (%s, %d cores):%n%n", threads, seconds, spikeMiB, reps,
                System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors());

        List<RunRecord> runs = new ArrayList<>();
        for (Schedule.Slot slot : Schedule.of(ARMS, reps)) {
            String name = slot.arm().id();
            AllocatorConfig config = new AllocatorConfig(name, name, Map.of(), slot.arm().jvmOptions(agent), "unsafe", null);
            long start = System.nanoTime();
            try (ChildJvm child = ChildJvm.start(java, jar, config, List.of(ChildJvm.OWN_UNSAFE_JVM_ARG), WORKLOAD, args,
                    logs.resolve(name + "-" + slot.rep() + ".stderr.log"), 100)) {
                RunRecord run = new RunRecord("ab-demo", name, slot.rep(), child.await(120_000));
                runs.add(run);
                System.out.printf(Locale.ROOT, "  rep %d  %-12s %s (%.0f s)%n", slot.rep(), name,
                        run.ok() ? "done" : "FAILED, " + run.outcome().failure() + "; see " + logs, (System.nanoTime() - start) / 1e9);
            }
        }
        System.out.println();
        System.out.print(table(new Results(runs)));
        System.out.println();
        System.out.println("Peak RSS is the kernel's VmHWM; RSS after idle is VmRSS after the idle phase. Emma's counters come");
        System.out.println("from the agent's MBean dev.emma:type=Allocator (or Emma.global().stats() without the MBean).");
        System.out.println("empty: -javaagent with an agent that does nothing. glibc's RSS after idle moves with any change at start-up,");
        System.out.println("any agent included: compare passthrough with empty to see what Emma's agent itself adds.");
        System.out.println(reps == 1 ? "One run per arm, and a single run can be noise: --reps 3 shows median (min-max) over interleaved runs."
                : "Median (min-max) over " + reps + " interleaved reps. For your own service: scripts/ab.");
        if (runs.stream().anyMatch(r -> !r.ok())) {
            System.exit(1);
        }
    }

    private static double positive(String option, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(option + " must be above zero");
        }
        return value;
    }

    static String table(Results results) {
        String[][] rows = {
                {"throughput (buffers/s)", "throughput", "%,.0f", "1"},
                {"peak RSS (MiB)", "peakRssBytes", "%,.0f", "1048576"},
                {"RSS after idle (MiB)", "rssAfterIdleBytes", "%,.0f", "1048576"},
                {"Emma live (MiB)", "emmaLiveBytes", "%,.1f", "1048576"},
                {"Emma mapped (MiB)", "emmaMappedBytes", "%,.1f", "1048576"},
        };
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-24s", ""));
        ARMS.forEach(a -> out.append(String.format(Locale.ROOT, "%28s", a.id())));
        out.append('\n');
        for (String[] row : rows) {
            out.append(String.format(Locale.ROOT, "%-24s", row[0]));
            double divisor = Double.parseDouble(row[3]);
            for (Arm arm : ARMS) {
                Spread s = results.spread("ab-demo", arm.id(), row[1]);
                String cell = s.empty() ? "-" : new Spread(s.median() / divisor, s.min() / divisor, s.max() / divisor, s.count()).format(row[2]);
                out.append(String.format(Locale.ROOT, "%28s", cell));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
