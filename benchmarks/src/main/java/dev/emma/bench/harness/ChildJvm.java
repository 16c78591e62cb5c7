package dev.emma.bench.harness;

import dev.emma.bench.proc.RssSampler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A workload JVM started under one allocator configuration, its RSS sampled from outside while it
 * runs, and its stdout protocol ({@code PHASE}, {@code READY}, {@code RESULT} lines) parsed.
 * Its stderr goes to a log file next to the results.
 */
public final class ChildJvm implements AutoCloseable {

    /**
     * JVM options every workload gets: the README's native-access flag, room for the spike. Not
     * {@code --sun-misc-unsafe-memory-access=allow}: it steers libraries (Netty 4.2 takes its Unsafe
     * path with it, its Linker path without), so only workloads that call {@code sun.misc.Unsafe}
     * themselves add {@link #OWN_UNSAFE_JVM_ARG}.
     */
    public static final List<String> COMMON_JVM_ARGS = List.of(
            "--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-XX:MaxDirectMemorySize=4g");

    /** For workloads whose own code calls {@code sun.misc.Unsafe}: silences the JDK's warning only. */
    public static final String OWN_UNSAFE_JVM_ARG = "--sun-misc-unsafe-memory-access=allow";

    private final Process process;
    private final RssSampler sampler;
    private final Map<String, Long> phases = new LinkedHashMap<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile Map<String, String> result;

    private ChildJvm(Process process, long startNanos, long samplePeriodMillis, RssSampler.Listener listener) {
        this.process = process;
        this.sampler = new RssSampler(process.pid(), samplePeriodMillis, startNanos, listener);
        this.reader = Thread.ofPlatform().daemon().name("stdout-" + process.pid()).start(this::readStdout);
    }

    /** Starts {@code mainClass} from {@code jar} under {@code config}, with extra JVM options first. */
    public static ChildJvm start(Path java, Path jar, AllocatorConfig config, List<String> extraJvmArgs,
                                 String mainClass, List<String> args, Path stderrLog, long samplePeriodMillis)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(COMMON_JVM_ARGS);
        command.addAll(extraJvmArgs);
        command.addAll(config.jvmArgs());
        command.add("-cp");
        command.add(jar.toString());
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        builder.environment().putAll(config.env());
        long start = System.nanoTime();
        return new ChildJvm(builder.start(), start, samplePeriodMillis, (pid, millis, status) -> { });
    }

    /**
     * Starts any command as it is (the A/B runner's service, which speaks none of the protocol):
     * stdout and stderr appended to files, stdin left open, {@code listener} told of each sample.
     */
    public static ChildJvm launch(List<String> command, Path stdoutLog, Path stderrLog, long samplePeriodMillis,
                                  RssSampler.Listener listener) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdoutLog.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        long start = System.nanoTime();
        return new ChildJvm(builder.start(), start, samplePeriodMillis, listener);
    }

    public long pid() {
        return process.pid();
    }

    /** The exit code once the process has ended; empty while it runs. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Milliseconds since the start, on the samples' clock. */
    public long elapsedMillis() {
        return sampler.elapsedMillis();
    }

    /** Asks the process to end (SIGTERM), then waits as {@link #await} does: killed after {@code graceMillis}. */
    public Outcome stop(long graceMillis) throws InterruptedException {
        process.destroy();
        return await(graceMillis);
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("PHASE ")) {
                    synchronized (phases) {
                        phases.put(line.substring(6).trim(), sampler.elapsedMillis());
                    }
                } else if (line.startsWith("RESULT ")) {
                    result = parseFields(line.substring(7));
                }
                lines.add(line);
            }
        } catch (IOException e) {
            // the process died; waitFor reports it
        }
    }

    /** {@code k=v k=v} into an ordered map. */
    static Map<String, String> parseFields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String token : text.trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                fields.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return fields;
    }

    /** Waits for a stdout line starting with {@code prefix}; null if the process ended or time ran out. */
    public String awaitLine(String prefix, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                return null;
            }
        }
        return null;
    }

    /** Closes the child's stdin (the Netty server's signal to stop). */
    public void closeStdin() throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.close();
    }

    /** Waits for the end; on timeout kills the process. */
    public Outcome await(long timeoutMillis) throws InterruptedException {
        boolean finished = process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        reader.join(2000);
        sampler.close();
        Map<String, Long> phaseCopy;
        synchronized (phases) {
            phaseCopy = Map.copyOf(phases);
        }
        String failure = !finished ? "timed out after " + timeoutMillis + " ms"
                : process.exitValue() != 0 ? "exit code " + process.exitValue()
                : result == null ? "no RESULT line" : null;
        return new Outcome(result == null ? Map.of() : result, sampler.samples(), phaseCopy, sampler.peakHwmBytes(), failure);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        sampler.close();
    }

    /**
     * What a child JVM left: its RESULT fields, RSS samples, phase start times (ms on the samples'
     * clock), the highest VmHWM seen from outside, and why it failed (null when it did not).
     */
    public record Outcome(Map<String, String> result, List<RssSampler.Sample> samples, Map<String, Long> phases,
                          long sampledPeakBytes, String failure) {
    }
}
