package dev.emma.bench.ab;

import dev.emma.bench.harness.ChildJvm;
import dev.emma.bench.harness.Wrk;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One run of one arm: start the service with the arm's flags, wait until it is ready and its agent
 * active, warm-up under load, the measured window under load, idle, stop it (SIGTERM, SIGKILL after
 * {@link #STOP_GRACE_MILLIS}). Samples are taken every {@link #SAMPLE_PERIOD_MILLIS} from the start
 * to the stop. A progress line per phase.
 */
final class ArmRun {

    static final long SAMPLE_PERIOD_MILLIS = 200;
    static final long STOP_GRACE_MILLIS = 30_000;
    /** The agent installs in the background; on this project's 2-core machines in about a second. */
    static final long AGENT_TIMEOUT_MILLIS = 60_000;
    static final double MIN_EMMA_SHARE = 0.9;
    static final long ATTACH_TIMEOUT_MILLIS = 10_000;

    private final AbOptions options;
    private final PrintStream progress;
    private final String position;
    private final Arm arm;
    private final int rep;
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> files = new ArrayList<>();
    private final long started = System.nanoTime();
    private String failure;
    private Optional<Wrk.Result> wrk = Optional.empty();
    private JmxProbe probe;

    /** Thrown for bad input found only once the service runs (its port never opens): exit code 2. */
    static final class BadInputException extends Exception {
        private static final long serialVersionUID = 1L;

        BadInputException(String message) {
            super(message);
        }
    }

    /** The service being measured, for the runner's shutdown hook (Ctrl-C must not leave it running). */
    static volatile ChildJvm current;

    ArmRun(AbOptions options, Schedule.Slot slot, String position, PrintStream progress) {
        this.options = options;
        this.arm = slot.arm();
        this.rep = slot.rep();
        this.position = position;
        this.progress = progress;
    }

    RunResult run() throws IOException, InterruptedException, BadInputException {
        String name = arm.id() + "-" + rep;
        Path log = file(name + ".log");
        Path stdout = file(name + ".out");
        if (options.readyPort() >= 0 && Readiness.accepts(options.readyPort())) {
            throw new BadInputException("port " + options.readyPort() + " is already in use before the service started"
                    + " (another instance still running?): stop what listens there or pick another port");
        }
        SampleLog samples = new SampleLog();
        say("starting (stderr: %s)", options.out().resolve(log.getFileName()));
        ChildJvm service = ChildJvm.launch(arm.command(options.command(), options.agentJar(), options.sites()), stdout, log, SAMPLE_PERIOD_MILLIS, samples);
        current = service;
        try {
            measure(service, samples, log, stdout);
        } finally {
            samples.probe(null);
            if (probe != null) {
                probe.close();
            }
            samples.phase(Sample.Phase.STOP);
            stop(service);
            current = null;
        }
        RunResult result = result(samples); // after the stop: a service that had to be killed is said there
        if (result.ran()) {
            say("peak RSS %s, under load %s, after idle %s%s", mib(Metric.PEAK_RSS.of(result)), mib(Metric.MEAN_RSS_UNDER_LOAD.of(result)),
                    mib(Metric.RSS_AFTER_IDLE.of(result)), wrk.map(w -> String.format(Locale.ROOT, "; %,.0f req/s, p99 %.2f ms",
                            w.requestsPerSecond(), w.p99Millis())).orElse(""));
        }
        return result;
    }

    /** Readiness, the agent, the phases; returns early (with the reason in {@link #failure}) when the run cannot go on. */
    private void measure(ChildJvm service, SampleLog samples, Path log, Path stdout)
            throws IOException, InterruptedException, BadInputException {
        Readiness.Result ready = awaitReady(service);
        if (ready.state() == Readiness.State.EXITED) {
            fail("service exited before it was ready (exit code %d): %s", exitCode(service), lastLine(log));
            return;
        }
        if (ready.state() == Readiness.State.TIMED_OUT) {
            throw new BadInputException(options.readyPort() >= 0
                    ? "port " + options.readyPort() + " never opened within " + seconds(options.readyTimeout()) + " s (the service is running: is --ready-port right?); see " + log
                    : "no line of the service's output matched --ready-log '" + options.readyLog() + "' within " + seconds(options.readyTimeout()) + " s; see " + log + " and " + stdout);
        }
        say("ready after %.1f s%s", elapsed(), ready.port() > 0 ? " (port " + ready.port() + ")" : "");
        probe = attach(service);
        if (probe != null) {
            samples.probe(probe);
        }
        if (arm.hasAgent() && (probe == null || !awaitAgent(service, probe))) {
            return;
        }
        int port = ready.port() > 0 ? ready.port() : options.readyPort();
        if (phase(service, samples, Sample.Phase.WARMUP, options.warmup(), port)
                && phase(service, samples, Sample.Phase.MEASURE, options.duration(), port)) {
            phase(service, samples, Sample.Phase.IDLE, options.idle(), port);
        }
    }

    private Readiness.Result awaitReady(ChildJvm service) throws InterruptedException, IOException {
        long timeout = options.readyTimeout().toMillis();
        if (options.readyPort() >= 0) {
            return Readiness.awaitPort(service, options.readyPort(), timeout);
        }
        if (options.readyLog() != null) {
            return Readiness.awaitLog(service, options.readyLog(), List.of(file(arm.id() + "-" + rep + ".out"),
                    file(arm.id() + "-" + rep + ".log")), timeout);
        }
        return new Readiness.Result(Readiness.State.READY, -1, null); // ready once it answers the Attach API, next
    }

    /** A JMX connection to the service; null (and said why) when none can be made. */
    private JmxProbe attach(ChildJvm service) throws InterruptedException {
        try {
            // a JVM answers the Attach API early in its start: once ready, a few seconds of retries are plenty
            boolean readyByAttach = options.readyPort() < 0 && options.readyLog() == null;
            return JmxProbe.attach(service.pid(), readyByAttach ? options.readyTimeout().toMillis() : ATTACH_TIMEOUT_MILLIS);
        } catch (IOException e) {
            if (arm.hasAgent()) {
                fail("cannot read the agent's MBean: %s", e.getMessage());
            } else {
                note("no JMX connection (%s): direct buffer figures are n/a", e.getMessage());
            }
            return null;
        }
    }

    /** Waits for the agent's MBean with this arm's Mode: the agent is active, routing is live. */
    private boolean awaitAgent(ChildJvm service, JmxProbe probe) throws InterruptedException {
        long deadline = System.nanoTime() + AGENT_TIMEOUT_MILLIS * 1_000_000;
        Optional<String> mode = Optional.empty();
        while (System.nanoTime() < deadline && service.exitCode().isEmpty()) {
            mode = probe.agentMode();
            if (mode.isPresent()) {
                break;
            }
            Thread.sleep(100);
        }
        if (mode.isPresent() && mode.get().equals(arm.agentMode())) {
            say("agent active, mode=%s (%.1f s after start)", mode.get(), elapsed());
            return true;
        }
        if (service.exitCode().isPresent()) {
            fail("service exited early, before the agent was active (exit code %d)", exitCode(service));
        } else if (mode.isPresent()) {
            fail("the agent is not what this arm claims: Mode=%s, not %s (see %s-%d.log)", mode.get(), arm.agentMode(), arm.id(), rep);
        } else {
            fail("the agent never became active: no %s MBean %d s after start (see %s-%d.log)",
                    dev.emma.bench.memory.EmmaAgent.MBEAN, AGENT_TIMEOUT_MILLIS / 1000, arm.id(), rep);
        }
        return false;
    }

    /** One phase, under load or idle; false when the service died in it (the run is then over). */
    private boolean phase(ChildJvm service, SampleLog samples, Sample.Phase phase, Duration length, int port)
            throws IOException, InterruptedException {
        samples.phase(phase);
        boolean loaded = options.load() != null && phase != Sample.Phase.IDLE;
        say("%s %.0f s%s", phase == Sample.Phase.WARMUP ? "warm-up" : phase == Sample.Phase.MEASURE ? "measuring" : "idle",
                length.toMillis() / 1000.0, loaded ? " under load" : "");
        if (loaded && length.toMillis() > 0) {
            String output = arm.id() + "-" + rep + "-" + phase.label() + ".load.txt";
            LoadCommand.Outcome load = new LoadCommand(options.load()).run(phase.label(), length.toMillis(), port, service.pid(), file(output));
            files.add(output);
            load.notes().forEach(n -> note("%s: %s", phase.label(), n));
            if (load.failure() != null) {
                fail("%s: %s", phase.label(), load.failure());
            }
            if (phase == Sample.Phase.MEASURE) {
                wrk = load.wrk();
            }
        } else {
            long end = System.nanoTime() + length.toNanos();
            while (System.nanoTime() < end && service.exitCode().isEmpty()) {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
        }
        if (service.exitCode().isPresent()) {
            fail("service exited early, during %s (exit code %d): %s", phase.label(), exitCode(service),
                    lastLine(file(arm.id() + "-" + rep + ".log")));
            return false;
        }
        return true;
    }

    private void stop(ChildJvm service) throws InterruptedException {
        boolean running = service.exitCode().isEmpty();
        long start = System.nanoTime();
        service.stop(STOP_GRACE_MILLIS);
        if (running) {
            boolean killed = exitCode(service) == 137;
            if (killed) {
                note("the service did not stop within %d s of SIGTERM: killed", STOP_GRACE_MILLIS / 1000);
            }
            say("stopped (%s, %.1f s)", killed ? "SIGKILL" : "SIGTERM", (System.nanoTime() - start) / 1e9);
        }
    }

    private RunResult result(SampleLog log) {
        AgentReport agent = arm.hasAgent() ? AgentReport.read(file(arm.id() + "-" + rep + ".log")) : AgentReport.NONE;
        RunResult result = new RunResult(arm, rep, log.samples(), wrk, failure, problems, files, agent);
        if (result.ran() && arm == Arm.EMMA) {
            double share = Metric.EMMA_SHARE.of(result);
            if (Double.isNaN(share)) {
                warn("Emma's share of the Java-level off-heap bytes cannot be checked: this agent publishes no EmmaShare (n/a). "
                        + "What it publishes: %s allocations served in all, %s live and %s mapped at the end of load, "
                        + "while the service's anonymous RSS under load was %s", count(result.last(null, "emma.TotalAllocations")),
                        mib(Metric.AGENT_LIVE.of(result)), mib(Metric.EMMA_MAPPED.of(result)), mib(meanAnonUnderLoad(result)));
            } else if (share < MIN_EMMA_SHARE) {
                flag("Emma served only %.0f%% of the Java-level off-heap bytes (EmmaShare %.3f, below %.0f%%): this arm is largely the native allocator",
                        share * 100, share, MIN_EMMA_SHARE * 100);
            }
            double fallbacks = Metric.FALLBACKS.of(result);
            if (fallbacks > 0) {
                warn("%,.0f allocations fell back to the native allocator (Fallbacks)", fallbacks);
            }
        }
        if (result.ran() && arm.hasAgent() && !agent.hasCoverage()) {
            note("no coverage report from the agent at exit in %s-%d.log (the service did not run its shutdown hooks?)", arm.id(), rep);
        }
        if (result.ran() && options.sites() > 0 && arm.hasAgent() && !agent.hasSites()) {
            note("no allocation sites from the agent at exit in %s-%d.log (the service did not run its shutdown hooks?)", arm.id(), rep);
        }
        files.addAll(0, List.of(arm.id() + "-" + rep + ".log", arm.id() + "-" + rep + ".out"));
        return new RunResult(arm, rep, result.samples(), wrk, failure, List.copyOf(problems), List.copyOf(files), agent);
    }

    /** The arm did not run to its end: loud, and its figures are left out of the statistics. */
    private void fail(String format, Object... args) {
        Problem problem = flag(format, args);
        if (failure == null) {
            failure = problem.text();
        }
    }

    /** The arm ran but is not what it claims: loud, exit code 1, its figures still shown. */
    private Problem flag(String format, Object... args) {
        Problem problem = new Problem(Problem.Severity.FAIL, arm, rep, String.format(Locale.ROOT, format, args));
        problems.add(problem);
        progress.println("  !! " + problem.line());
        return problem;
    }

    private void warn(String format, Object... args) {
        Problem problem = new Problem(Problem.Severity.WARN, arm, rep, String.format(Locale.ROOT, format, args));
        problems.add(problem);
        progress.println("  !! " + problem.line());
    }

    private void note(String format, Object... args) {
        Problem problem = new Problem(Problem.Severity.NOTE, arm, rep, String.format(Locale.ROOT, format, args));
        problems.add(problem);
        progress.println("  " + problem.line());
    }

    private static double meanAnonUnderLoad(RunResult run) {
        return run.samples().stream().filter(s -> s.phase() == Sample.Phase.MEASURE && s.anonBytes() >= 0)
                .mapToLong(Sample::anonBytes).average().orElse(Double.NaN);
    }

    private static String count(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String mib(double bytes) {
        return Double.isNaN(bytes) ? "n/a" : String.format(Locale.ROOT, bytes < 10 << 20 ? "%.2f MiB" : "%,.0f MiB", bytes / 1048576);
    }

    private void say(String format, Object... args) {
        progress.printf(Locale.ROOT, "[%s] %-11s rep %d: %s%n", position, arm.id(), rep, String.format(Locale.ROOT, format, args));
    }

    private Path file(String name) {
        return options.out().resolve(name);
    }

    private double elapsed() {
        return (System.nanoTime() - started) / 1e9;
    }

    private static long seconds(Duration duration) {
        return duration.toSeconds();
    }

    private static int exitCode(ChildJvm service) {
        return service.exitCode().orElse(-1);
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "(its log is empty)" : "last line of its log: " + lines.getLast().strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
