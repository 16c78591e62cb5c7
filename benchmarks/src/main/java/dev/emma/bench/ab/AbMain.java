package dev.emma.bench.ab;

import dev.emma.bench.ab.AbOptions.UsageException;
import dev.emma.bench.harness.ChildJvm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code scripts/ab}: a memory A/B experiment on the user's own JVM service (see
 * {@link AbOptions#USAGE}). Progress goes to stderr, the table and the problems to stdout.
 */
public final class AbMain {

    public static final int OK = 0;
    public static final int ARM_FAILED = 1;
    public static final int BAD_INPUT = 2;

    private AbMain() {
    }

    public static void main(String[] argv) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ChildJvm service = ArmRun.current; // interrupted (Ctrl-C): the service and the load must not outlive us
            if (service != null) {
                service.close();
            }
            Process load = LoadCommand.running;
            if (load != null) {
                load.descendants().forEach(ProcessHandle::destroyForcibly);
                load.destroyForcibly();
            }
        }));
        System.exit(run(argv, System.out, System.err));
    }

    /** The whole experiment; returns the exit code. */
    public static int run(String[] argv, PrintStream out, PrintStream progress) throws IOException, InterruptedException {
        AbOptions options;
        try {
            options = AbOptions.parse(argv);
            if (options.help()) {
                out.println(AbOptions.USAGE);
                return OK;
            }
            Path java = ServiceJava.resolve(options.command().getFirst());
            if (options.arms().stream().anyMatch(Arm::hasAgent)) {
                ServiceJava.checkForAgent(java);
            }
        } catch (UsageException e) {
            progress.println("scripts/ab: " + e.getMessage());
            return BAD_INPUT;
        }
        Files.createDirectories(options.out());
        LocalDateTime started = LocalDateTime.now();
        List<Schedule.Slot> slots = Schedule.of(options.arms(), options.reps());
        progress.printf(Locale.ROOT, "A/B experiment: %d run(s), about %d s each plus start-up; results in %s%n", slots.size(),
                (options.warmup().plus(options.duration()).plus(options.idle())).toSeconds(), options.out());
        List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            String position = (i + 1) + "/" + slots.size();
            try {
                runs.add(new ArmRun(options, slots.get(i), position, progress).run());
            } catch (ArmRun.BadInputException e) {
                progress.println("scripts/ab: " + e.getMessage());
                return BAD_INPUT;
            }
        }
        return finish(options, started, runs, out);
    }

    private static int finish(AbOptions options, LocalDateTime started, List<RunResult> runs, PrintStream out) throws IOException {
        Summary summary = new Summary(runs);
        List<Problem> problems = runs.stream().flatMap(r -> r.problems().stream()).toList();
        Files.writeString(options.out().resolve("samples.csv"), SamplesCsv.render(runs));
        Path chart = options.out().resolve("rss.png");
        RssChart.write(runs, options.warmup().toMillis(), options.duration().toMillis(), chart);
        Files.writeString(options.out().resolve("report.md"), Report.markdown(header(options, started), options.arms(), summary, problems, "rss.png"));

        out.println();
        out.print(Report.table(options.arms(), summary));
        out.println();
        boolean failed = problems.stream().anyMatch(Problem::fails);
        if (failed) {
            out.println("NOT EVERY ARM RAN AS IT CLAIMS (exit code 1):");
        } else if (problems.stream().anyMatch(Problem::loud)) {
            out.println("Every arm ran, but check:");
        }
        problems.forEach(p -> out.println("  " + p.line()));
        out.println("Report: " + options.out().resolve("report.md") + "   chart: " + chart + "   samples: " + options.out().resolve("samples.csv"));
        return failed ? ARM_FAILED : OK;
    }

    private static List<String> header(AbOptions options, LocalDateTime started) {
        List<String> lines = new ArrayList<>();
        lines.add("Service: `" + String.join(" ", options.command()) + "`");
        lines.add(String.format(Locale.ROOT, "Arms: %s; %d rep(s), interleaved; warm-up %s, measured %s, idle %s; samples every %d ms",
                String.join(", ", options.arms().stream().map(Arm::id).toList()), options.reps(), text(options.warmup()),
                text(options.duration()), text(options.idle()), ArmRun.SAMPLE_PERIOD_MILLIS));
        lines.add("Agent arms: `-javaagent:" + options.agentJar() + "=mode=passthrough|emma,summary" + (options.sites() > 0 ? ",sites=" + options.sites() : "")
                + "`; every arm: `--enable-native-access=ALL-UNNAMED`");
        lines.add("Load: " + (options.load() == null ? "none" : "`" + options.load() + "`"));
        lines.add(String.format(Locale.ROOT, "Machine: %d cores, %s %s; started %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.version"),
                started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))));
        return lines;
    }

    private static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
