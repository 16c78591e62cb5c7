package dev.emma.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives Debian's {@code wrk} against a loopback port and reads requests/s and the p99 latency. */
public final class Wrk {

    /** What one wrk run measured. */
    public record Result(double requestsPerSecond, double p99Millis) {
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("^\\s*99%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);

    private Wrk() {
    }

    /** Runs {@code wrk} for {@code seconds} against {@code http://127.0.0.1:port/} (never another host). */
    static Optional<Result> run(int port, int connections, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency",
                "http://127.0.0.1:" + port + "/")).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return Optional.empty();
        }
        return parse(output);
    }

    /** Requests/s and the p99 latency from wrk's output (run with {@code --latency}); empty when either is missing. */
    public static Optional<Result> parse(String output) {
        Matcher rps = RPS.matcher(output);
        Matcher p99 = P99.matcher(output);
        if (!rps.find() || !p99.find()) {
            return Optional.empty();
        }
        double latency = Double.parseDouble(p99.group(1));
        double millis = switch (p99.group(2)) {
            case "us" -> latency / 1000;
            case "s" -> latency * 1000;
            default -> latency;
        };
        return Optional.of(new Result(Double.parseDouble(rps.group(1)), millis));
    }

    static boolean installed() {
        try {
            Process process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor(5, TimeUnit.SECONDS);
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
