package dev.emma.bench.ab;

import dev.emma.bench.harness.Wrk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's load command ({@code --load}), run in bash once per phase. {@code {seconds}} becomes
 * the phase's length and {@code {port}} the service's port. A command with {@code {seconds}} is
 * trusted to end by itself (wrk prints its figures only then) and given some slack; one without it
 * is stopped, with its children, when the phase ends.
 */
final class LoadCommand {

    /** How one phase's load went: why it failed (null when it did not), wrk's figures, remarks worth a line. */
    record Outcome(String failure, Optional<Wrk.Result> wrk, List<String> notes) {
    }

    private static final Pattern WRK_TROUBLE = Pattern.compile("^\\s*(Socket errors:.*|Non-2xx or 3xx responses:.*)$", Pattern.MULTILINE);

    /** The load command running now, for the runner's shutdown hook. */
    static volatile Process running;

    private final String template;

    LoadCommand(String template) {
        this.template = template;
    }

    String expand(long phaseMillis, int port) {
        return template.replace("{seconds}", Long.toString(Math.max(1, (phaseMillis + 999) / 1000)))
                .replace("{port}", Integer.toString(port));
    }

    boolean endsByItself() {
        return template.contains("{seconds}");
    }

    /** Runs the command for a phase of {@code phaseMillis}, its stdout and stderr into {@code output}. */
    Outcome run(String phase, long phaseMillis, int port, long servicePid, Path output) throws IOException, InterruptedException {
        String command = expand(phaseMillis, port);
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command)
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("AB_PHASE", phase);
        builder.environment().put("AB_SECONDS", Long.toString(Math.max(1, (phaseMillis + 999) / 1000)));
        builder.environment().put("AB_PORT", Integer.toString(port));
        builder.environment().put("AB_PID", Long.toString(servicePid));
        long start = System.nanoTime();
        Process process = builder.start();
        running = process;
        String failure = null;
        boolean stoppedAtPhaseEnd = false;
        List<String> notes = new ArrayList<>();
        if (endsByItself()) {
            long slack = Math.max(30_000, phaseMillis / 2);
            if (!process.waitFor(phaseMillis + slack, TimeUnit.MILLISECONDS)) {
                stop(process);
                failure = String.format(Locale.ROOT, "load command still running %d s after its %d s phase; stopped (see %s)",
                        slack / 1000, phaseMillis / 1000, output.getFileName());
            }
        } else if (!process.waitFor(phaseMillis, TimeUnit.MILLISECONDS)) {
            stop(process);
            stoppedAtPhaseEnd = true; // its exit status is then ours, not a failure
        } else if (process.exitValue() == 0) {
            notes.add(String.format(Locale.ROOT, "load command ended after %.1f s of a %.1f s phase",
                    (System.nanoTime() - start) / 1e9, phaseMillis / 1e3));
        }
        if (failure == null && !process.isAlive() && process.exitValue() != 0 && !stoppedAtPhaseEnd) {
            failure = "load command failed (exit code " + process.exitValue() + "): " + lastLine(output) + " (see " + output.getFileName() + ")";
        }
        running = null;
        String text = Files.readString(output);
        Optional<Wrk.Result> wrk = Optional.empty();
        if (isWrk(command) || text.contains("Requests/sec:")) {
            wrk = Wrk.parse(text);
            if (wrk.isEmpty() && failure == null) {
                notes.add("wrk printed no Requests/sec or 99% latency line (run it with --latency for p99)");
            }
            Matcher trouble = WRK_TROUBLE.matcher(text);
            while (trouble.find()) {
                notes.add("wrk: " + trouble.group(1).trim());
            }
        }
        return new Outcome(failure, wrk, notes);
    }

    /** SIGTERM to the command and whatever it started (a loop in bash), SIGKILL 5 s later. */
    static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static boolean isWrk(String command) {
        String first = command.trim().split("\\s+", 2)[0];
        return Path.of(first).getFileName().toString().equals("wrk");
    }

    private static String lastLine(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output).stream().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "no output" : lines.getLast().strip();
    }
}
