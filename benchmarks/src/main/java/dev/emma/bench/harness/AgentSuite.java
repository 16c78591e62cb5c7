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
 * The agent section of the comparison: the arms of a memory A/B experiment side by side in one
 * run. No agent, the agent in {@code mode=passthrough} (the control arm), the agent in
 * {@code mode=emma}, and the Emma core called directly (JMH only, {@code impl=emma} in the
 * no-agent JVM, and {@code impl=emmacall}: the same behind one real call per operation): pair and batch micro-benchmarks of 64 B and 4 KiB at 1, 2 and 4 threads, the
 * bundled A/B demo's peak and after-idle RSS, and the RSS of an idle JVM per arm, where an
 * empty agent is one more arm.
 */
public final class AgentSuite {

    public static final String NONE = "agent-none";
    public static final String PASSTHROUGH = "agent-passthrough";
    public static final String EMMA = "agent-emma";
    /** Whole-process runs only: {@code -javaagent:} with an agent that does nothing ({@link EmptyAgent}). */
    public static final String EMPTY = "agent-empty";
    /** LinkerBenchmark's rows: glibc behind a downcall, and the emma arm with {@code linker=all} (the benchmark is no known caller). */
    public static final String NONE_LINKER = "agent-none-linker";
    public static final String EMMA_LINKER_ALL = "agent-emma-linker-all";
    public static final String DEMO = "agent-demo";
    public static final String IDLE = "agent-idle";

    private static final String DEMO_CLASS = "dev.emma.bench.workload.DirectBufferDemo";
    private static final String IDLE_CLASS = "dev.emma.bench.workload.IdleJvm";

    private final Path java;
    private final Path jar;
    private final Path outDir;
    private final PrintStream progress;

    /** JMH rounds of the full run (one fork per arm and round; medians per cell). */
    public static final int JMH_ROUNDS = 3;

    public AgentSuite(Path java, Path jar, Path outDir, PrintStream progress) {
        this.java = java;
        this.jar = jar;
        this.outDir = outDir;
        this.progress = progress;
    }

    /** The three JVM arms, in report order; the core's rows come from the no-agent JVM. */
    public static List<AllocatorConfig> arms(Path agentJar) {
        String skip = agentJar != null && Files.isRegularFile(agentJar) ? null : "agent jar " + agentJar + " not built";
        return List.of(
                new AllocatorConfig(NONE, "no agent", Map.of(), List.of(), "unsafe", null),
                new AllocatorConfig(PASSTHROUGH, "agent, passthrough", Map.of(), List.of("-javaagent:" + agentJar + "=mode=passthrough"),
                        "unsafe", skip),
                new AllocatorConfig(EMMA, "agent, emma", Map.of(), List.of("-javaagent:" + agentJar + "=mode=emma"), "unsafe", skip));
    }

    /** What the section measured. */
    public record Results(List<JmhRow> jmh, List<RunRecord> runs) {
    }

    public Results run(List<AllocatorConfig> arms, boolean quick, int rounds) throws IOException, InterruptedException {
        List<AllocatorConfig> runnable = arms.stream().filter(AllocatorConfig::runnable).toList();
        List<JmhRow> byRound = new ArrayList<>();
        JmhSuite suite = new JmhSuite(java, jar, outDir);
        // Rounds of one fork per arm, interleaved, and the median per cell: a fork's C2 code lands in
        // one of two speeds (about 77 or 110 ops/us for the 64 B batch, agent and core alike), so one
        // fork per cell made a 1-thread ratio a coin toss.
        int jmhRounds = quick ? 1 : JMH_ROUNDS;
        for (int round = 1; round <= jmhRounds; round++) {
            JmhSuite.Plan plan = new JmhSuite.Plan("-r" + round,
                    List.of("PairBenchmark.pair1", "ThreadedPairBenchmark", "BatchBenchmark.batch1", "ThreadedBatchBenchmark"),
                    List.of("-p", "size=64,4096"), 2, quick ? "300ms" : "400ms", quick ? 2 : 3, quick ? "300ms" : "400ms");
            for (AllocatorConfig arm : WorkloadSuite.rotate(runnable, round - 1)) {
                progress.printf(Locale.ROOT, "  agent section: JMH round %d under %s%n", round, arm.label());
                try {
                    // The no-agent JVM also measures the core called directly and the core behind a call.
                    byRound.addAll(suite.run(arm, arm.id().equals(NONE) ? List.of("unsafe", "emma", "emmacall") : List.of("unsafe"), plan));
                } catch (IOException e) {
                    progress.println("  FAILED: " + e.getMessage());
                }
            }
        }
        List<JmhRow> jmh = JmhRow.medians(byRound);
        jmh.addAll(linkerCost(suite, runnable, quick));
        List<RunRecord> runs = new ArrayList<>();
        Files.createDirectories(outDir.resolve("agent"));
        List<String> demoArgs = List.of("threads=4", "seconds=" + (quick ? "1.5" : "3"), "spikeMiB=512", "idleSeconds=5");
        // What any -javaagent costs (measured: the Java heap sizes differently, and glibc's arena
        // layout shifts), so the control arm can be told apart from the bare fact of an agent.
        List<AllocatorConfig> processArms = new ArrayList<>(runnable);
        processArms.add(1, new AllocatorConfig(EMPTY, "empty agent", Map.of(), List.of("-javaagent:" + jar), "unsafe", null));
        for (int round = 1; round <= rounds; round++) {
            for (AllocatorConfig arm : WorkloadSuite.rotate(processArms, round - 1)) {
                runs.add(runOnce(DEMO, DEMO_CLASS, demoArgs, arm, round, 120_000));
                runs.add(runOnce(IDLE, IDLE_CLASS, List.of("seconds=4"), arm, round, 60_000));
            }
        }
        return new Results(jmh, runs);
    }

    /** The Linker route's cost per call: malloc+free through downcall handles, glibc vs routed to Emma. */
    private List<JmhRow> linkerCost(JmhSuite suite, List<AllocatorConfig> runnable, boolean quick) throws InterruptedException {
        JmhSuite.Plan plan = new JmhSuite.Plan(List.of("LinkerBenchmark"), List.of(), 2, quick ? "300ms" : "400ms",
                quick ? 2 : 3, quick ? "300ms" : "400ms");
        List<JmhRow> rows = new ArrayList<>();
        for (AllocatorConfig arm : runnable) {
            if (arm.id().equals(PASSTHROUGH)) {
                continue;
            }
            AllocatorConfig config = arm.id().equals(EMMA)
                    ? new AllocatorConfig(EMMA_LINKER_ALL, "agent, emma, linker=all", Map.of(),
                            List.of(arm.jvmArgs().getFirst() + ",linker=all"), "unsafe", null)
                    : new AllocatorConfig(NONE_LINKER, "no agent", Map.of(), arm.jvmArgs(), "unsafe", null);
            progress.printf(Locale.ROOT, "  agent section: Linker route under %s%n", config.label());
            try {
                rows.addAll(suite.run(config, List.of("unsafe"), plan));
            } catch (IOException e) {
                progress.println("  FAILED: " + e.getMessage());
            }
        }
        return rows;
    }

    private RunRecord runOnce(String workload, String mainClass, List<String> args, AllocatorConfig arm, int round, long timeout)
            throws IOException, InterruptedException {
        String name = workload + "-" + arm.id() + "-r" + round;
        try (ChildJvm child = ChildJvm.start(java, jar, arm, List.of(ChildJvm.OWN_UNSAFE_JVM_ARG), mainClass, args,
                outDir.resolve("agent").resolve(name + ".stderr.log"), 100)) {
            RunRecord record = new RunRecord(workload, arm.id(), round, child.await(timeout));
            progress.printf(Locale.ROOT, "  agent section: round %d %-10s %-18s %s%n", round, workload, arm.label(),
                    record.ok() ? String.format(Locale.ROOT, "peak RSS %,d MiB", (long) record.value("peakRssBytes") >> 20)
                            : "FAILED: " + record.outcome().failure());
            return record;
        }
    }
}
