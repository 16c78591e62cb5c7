package dev.emma.bench.harness;

import dev.emma.bench.report.AgentSection;
import dev.emma.bench.report.Charts;
import dev.emma.bench.report.DocSection;
import dev.emma.bench.report.MarkdownReport;
import dev.emma.bench.report.Results;
import dev.emma.bench.report.WorkloadInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The whole comparison (what {@code scripts/bench} runs): JMH under every allocator, the
 * whole-process workloads and the Netty server, interleaved rounds, then tables and charts.
 *
 * <p>Options: {@code --quick}, {@code --jar P}, {@code --agent P}, {@code --jemalloc P},
 * {@code --mimalloc P}, {@code --out DIR}, {@code --doc FILE}, {@code --charts DIR},
 * {@code --parts jmh,workloads,netty,agent}, {@code --rounds N}, {@code --command TEXT}.
 */
public final class BenchMain {

    public static void main(String[] argv) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Options options = Options.parse(argv);
        PrintStream out = System.out;
        long start = System.nanoTime();
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Files.createDirectories(options.out());
        Files.createDirectories(options.charts());

        Map<String, String> facts = MachineFacts.collect();
        out.println("Machine: " + facts);
        List<AllocatorConfig> configs = AllocatorConfig.all(options.jemalloc(), options.mimalloc(), options.agent());
        for (AllocatorConfig config : configs) {
            out.println("Configuration " + config.id() + ": " + (config.runnable() ? "runs" : "SKIPPED, " + config.skip()));
        }
        List<AllocatorConfig> runnable = configs.stream().filter(AllocatorConfig::runnable).toList();

        List<JmhRow> jmh = new ArrayList<>();
        if (options.parts().contains("jmh")) {
            JmhSuite suite = new JmhSuite(java, options.jar(), options.out());
            List<JmhSuite.Plan> plans = options.quick() ? List.of(JmhSuite.Plan.quick()) : JmhSuite.Plan.full();
            for (AllocatorConfig config : runnable) {
                if (config.id().equals(AllocatorConfig.EMMA_CORE)) {
                    continue; // measured inside the glibc run, as impl=emma
                }
                out.printf(Locale.ROOT, "[%4.0fs] JMH under %s%n", seconds(start), config.id());
                boolean withCore = config.id().equals(AllocatorConfig.GLIBC) && runnable.stream()
                        .anyMatch(c -> c.id().equals(AllocatorConfig.EMMA_CORE));
                for (JmhSuite.Plan plan : plans) { // a failed plan keeps what the others measured
                    try {
                        jmh.addAll(suite.run(config, withCore ? List.of("unsafe", "emma") : List.of("unsafe"), plan));
                    } catch (IOException e) {
                        out.println("  FAILED: " + e.getMessage());
                    }
                }
            }
        }

        List<RunRecord> records = new ArrayList<>();
        List<WorkloadInfo> infos = new ArrayList<>();
        if (options.parts().contains("workloads")) {
            List<WorkloadSpec> workloads = WorkloadSpec.all(options.quick());
            out.printf(Locale.ROOT, "[%4.0fs] workloads, %d round(s)%n", seconds(start), options.rounds());
            try {
                records.addAll(new WorkloadSuite(java, options.jar(), options.out(), out).run(workloads, runnable, options.rounds()));
            } catch (IOException e) {
                out.println("  workloads FAILED: " + e); // keep what the other parts measured
            }
            workloads.forEach(w -> infos.add(new WorkloadInfo(w.id(), w.title(), w.unit())));
        }
        if (options.parts().contains("netty")) {
            if (Wrk.installed()) {
                int rounds = options.quick() ? 1 : Math.max(1, options.rounds() - 1);
                out.printf(Locale.ROOT, "[%4.0fs] Netty + wrk, %d round(s)%n", seconds(start), rounds);
                NettySuite netty = new NettySuite(java, options.jar(), options.out(), out,
                        options.quick() ? 1 : 2, options.quick() ? 2 : 4);
                try {
                    records.addAll(netty.run(runnable, rounds));
                } catch (IOException e) {
                    out.println("  Netty FAILED: " + e);
                }
                infos.add(new WorkloadInfo(NettySuite.workloadId("default"),
                        "Netty HTTP hello world, Netty's default allocator (wrk -t1 -c32, loopback)", "req/s"));
                infos.add(new WorkloadInfo(NettySuite.workloadId("unpooled"),
                        "Netty HTTP hello world, -Dio.netty.allocator.type=unpooled (wrk -t1 -c32, loopback)", "req/s"));
            } else {
                out.println("Netty part SKIPPED: wrk is not installed (apt-get install wrk)");
            }
        }
        AgentSuite.Results agent = null; // the agent section: the arms of an A/B experiment side by side (agent-route)
        if (options.parts().contains("agent")) {
            out.printf(Locale.ROOT, "[%4.0fs] agent section%n", seconds(start));
            try {
                // Two more rounds than the workloads: glibc's RSS after the demo's idle phase is
                // bimodal (in both the no-agent and the passthrough arm), and 2 rounds could not
                // tell the arms apart (287/556 against 652/694 MiB in one run, 0.80x over 5 reps).
                agent = new AgentSuite(java, options.jar(), options.out(), out)
                        .run(AgentSuite.arms(options.agent()), options.quick(), options.quick() ? 1 : options.rounds() + 2);
                records.addAll(agent.runs());
            } catch (IOException e) {
                out.println("  agent section FAILED: " + e);
            }
        }
        writeRecords(options.out().resolve("runs.csv"), records);

        out.printf(Locale.ROOT, "[%4.0fs] report and charts%n", seconds(start));
        Results results = new Results(records);
        for (WorkloadInfo info : infos) {
            Charts.workloadBars(results, info.id(), info.title(), runnable, options.charts().resolve(MarkdownReport.barChartName(info.id())));
            if (info.id().equals("spike-idle")) {
                Charts.spikeTimeline(results, info.id(), runnable, options.charts().resolve(MarkdownReport.spikeChartName()));
            }
        }
        Path reportFile = options.doc() != null ? options.doc() : options.out().resolve("report.md");
        String chartPrefix = reportFile.toAbsolutePath().getParent().relativize(options.charts().toAbsolutePath()) + "/";
        String method = String.format(Locale.ROOT,
                "Mode: %s. Workloads: %d interleaved round(s) (round r starts at the r-th configuration, so "
                        + "no allocator always runs first); medians with min–max; ratios to glibc are taken round by round "
                        + "(each pair ran side by side) and then summarised. JMH: one fork per benchmark and allocator, "
                        + "%s. Total time of this run: %.0f s.",
                options.quick() ? "quick (a smoke test: short runs, one round)" : "full", options.rounds(),
                options.quick() ? "2 warm-up and 2 measured iterations of 0.3 s"
                        : "2 warm-up and 3 measured iterations of 0.4 s (allocateDirect: 3 and 3 of 1 s)",
                seconds(start));
        String generated = new MarkdownReport(facts, options.command(), method, configs, jmh, results, infos, chartPrefix).render()
                + (agent == null ? "" : "\n" + AgentSection.render(agent));
        if (options.doc() != null) {
            DocSection.write(options.doc(), generated);
        } else {
            Files.writeString(reportFile, generated);
        }
        out.println();
        out.println(generated);
        out.printf(Locale.ROOT, "Report: %s (charts in %s). Raw results: %s. Took %.0f s.%n", reportFile, options.charts(),
                options.out(), seconds(start));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void writeRecords(Path file, List<RunRecord> records) throws IOException {
        StringBuilder csv = new StringBuilder("workload,config,round,failure,key,value\n");
        for (RunRecord record : records) {
            String failure = record.ok() ? "" : record.outcome().failure().replace(',', ';');
            record.outcome().result().forEach((k, v) -> csv.append(String.join(",", record.workload(), record.config(),
                    Integer.toString(record.round()), failure, k, v)).append('\n'));
            if (record.outcome().result().isEmpty()) {
                csv.append(String.join(",", record.workload(), record.config(), Integer.toString(record.round()), failure, "", ""))
                        .append('\n');
            }
        }
        Files.writeString(file, csv);
    }

    /** Command-line options with their defaults (paths relative to the repository root). */
    record Options(boolean quick, Path jar, Path agent, Path jemalloc, Path mimalloc, Path out, Path doc, Path charts,
                   Set<String> parts, int rounds, String command) {

        static Options parse(String[] argv) {
            boolean quick = false;
            Path jar = Path.of("benchmarks/target/benchmarks.jar");
            Path agent = Path.of("agent/target/emma-agent.jar");
            Path jemalloc = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
            Path mimalloc = Path.of("/usr/lib/x86_64-linux-gnu/libmimalloc.so.2");
            Path out = null;
            Path doc = null;
            Path charts = null;
            Set<String> parts = Set.of("jmh", "workloads", "netty", "agent");
            int rounds = -1;
            String command = "java -cp benchmarks/target/benchmarks.jar " + BenchMain.class.getName() + " " + String.join(" ", argv);
            for (int i = 0; i < argv.length; i++) {
                String arg = argv[i];
                switch (arg) {
                    case "--quick" -> quick = true;
                    case "--jar" -> jar = Path.of(argv[++i]);
                    case "--agent" -> agent = Path.of(argv[++i]);
                    case "--jemalloc" -> jemalloc = Path.of(argv[++i]);
                    case "--mimalloc" -> mimalloc = Path.of(argv[++i]);
                    case "--out" -> out = Path.of(argv[++i]);
                    case "--doc" -> doc = Path.of(argv[++i]);
                    case "--charts" -> charts = Path.of(argv[++i]);
                    case "--parts" -> parts = Set.of(argv[++i].split(","));
                    case "--rounds" -> rounds = Integer.parseInt(argv[++i]);
                    case "--command" -> command = argv[++i];
                    default -> throw new IllegalArgumentException("unknown option " + arg + "; see the class comment of "
                            + BenchMain.class.getName());
                }
            }
            if (out == null) {
                out = Path.of("benchmarks/results", quick ? "quick" : "full");
            }
            if (charts == null) {
                charts = out.resolve("charts");
            }
            if (rounds < 0) {
                rounds = quick ? 1 : 3;
            }
            return new Options(quick, jar, agent, jemalloc, mimalloc, out, doc, charts, parts, rounds, command);
        }
    }
}
