package dev.emma.bench.ab;

import dev.emma.bench.harness.EmptyAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What {@code scripts/ab} was asked to do. {@link #parse} checks everything that can be checked
 * before a JVM starts and throws {@link UsageException} (one line, exit code 2) on the first fault.
 *
 * @param readyPort    the port that says the service is ready, or -1
 * @param readyLog     a regex a line of the service's stdout or stderr matches once it is ready, or null;
 *                     its first group, when it has one, is the service's port (for {@code {port}})
 * @param load         a shell command run during warm-up and again for the measured window, or null
 * @param sites        how many allocation sites the agent arms print at exit (agent option {@code sites=N}); 0: none
 * @param command      the service's command line, {@code java ...}, as given after {@code --}
 */
public record AbOptions(List<Arm> arms, int reps, Duration warmup, Duration duration, Duration idle,
                        int readyPort, Pattern readyLog, Duration readyTimeout, String load, Path out,
                        Path agentJar, int sites, List<String> command, boolean help) {

    public static final String USAGE = """
            usage: scripts/ab [--arms none,passthrough,emma] [--reps 3] [--warmup 10s] [--duration 30s] [--idle 10s]
                              [--ready-port PORT | --ready-log REGEX] [--ready-timeout 120s] [--load 'COMMAND']
                              [--out DIR] [--agent JAR] [--sites N] -- java [JVM options] -jar app.jar [app args]

            Runs the service once per arm and rep, interleaved: none (as given), passthrough
            (-javaagent:emma-agent.jar=mode=passthrough,summary) and emma (=mode=emma,summary); every arm
            gets --enable-native-access=ALL-UNNAMED (libraries such as Netty 4.2 choose their path by it).
            Opt-in arm: empty (-javaagent:benchmarks.jar, an agent that does nothing: what any agent moves
            in the JVM and in glibc's layout, apart from Emma's agent; agent arms then also show "× empty").
            Each run: start, wait until ready (the port accepts
            connections, or a line of stdout/stderr matches REGEX; without either, once the JVM answers
            the Attach API) and until the agent is active, run COMMAND for the warm-up and again for the
            measured window, stay idle, stop (SIGTERM; SIGKILL 30 s later).
            COMMAND runs in bash; {seconds} becomes the phase's length in seconds and {port} the service's
            port (--ready-port, or the first group of REGEX). With {seconds} it must end by itself; without
            it, it is stopped when the phase ends. e.g. --load 'wrk -t1 -c32 -d{seconds}s --latency http://127.0.0.1:{port}/'
            Writes DIR/report.md, DIR/rss.png, DIR/samples.csv and each run's DIR/<arm>-<rep>.log (stderr)
            and .out (stdout); DIR defaults to ab-results/<date-time>. report.md shows, per agent arm, the
            agent's coverage report at exit (what Emma served, what stayed native and why) and, with
            --sites N (agent option sites=N), the top N allocation sites by live off-heap bytes.
            Exit code: 0 every arm ran and is what it claims; 1 an arm failed or is not what it claims
            (the agent never became active, Emma's share below 90%, the service exited early, the load
            command failed); 2 bad input.""";

    private static final String MISSING_SEPARATOR = "missing '--' before the service's command: scripts/ab [options] -- java ... -jar app.jar";

    private static final Set<String> VALUE_OPTIONS = Set.of("--arms", "--reps", "--warmup", "--duration", "--idle",
            "--ready-port", "--ready-log", "--ready-timeout", "--load", "--out", "--agent", "--sites");

    /** Parses the runner's arguments: options, {@code --}, the service's command. */
    public static AbOptions parse(String... argv) throws UsageException {
        List<String> args = Arrays.asList(argv);
        int separator = args.indexOf("--");
        List<String> options = separator < 0 ? args : args.subList(0, separator);
        if (options.contains("--help") || options.contains("-h")) {
            return new AbOptions(List.of(), 0, null, null, null, -1, null, null, null, null, null, 0, List.of(), true);
        }
        List<Arm> arms = Arm.DEFAULT;
        int reps = 3;
        Duration warmup = Duration.ofSeconds(10);
        Duration duration = Duration.ofSeconds(30);
        Duration idle = Duration.ofSeconds(10);
        Duration readyTimeout = Duration.ofSeconds(120);
        int readyPort = -1;
        Pattern readyLog = null;
        String load = null;
        Path out = null;
        Path agentJar = Path.of("agent/target/emma-agent.jar");
        int sites = 0;
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (!VALUE_OPTIONS.contains(option)) {
                throw new UsageException(option.startsWith("-") ? "unknown option " + option + " (see --help)"
                        : separator < 0 ? MISSING_SEPARATOR : "unexpected '" + option + "' before '--': the service's command goes after '--'");
            }
            if (i + 1 >= options.size()) {
                throw new UsageException(option + " needs a value");
            }
            String value = options.get(++i);
            switch (option) {
                case "--arms" -> arms = arms(value);
                case "--reps" -> reps = positive(option, value);
                case "--warmup" -> warmup = duration(option, value, true);
                case "--duration" -> duration = duration(option, value, false);
                case "--idle" -> idle = duration(option, value, true);
                case "--ready-timeout" -> readyTimeout = duration(option, value, false);
                case "--ready-port" -> readyPort = port(value);
                case "--ready-log" -> readyLog = regex(value);
                case "--load" -> load = value.isBlank() ? null : value;
                case "--out" -> out = Path.of(value);
                case "--agent" -> agentJar = Path.of(value);
                case "--sites" -> sites = sites(value);
                default -> throw new IllegalStateException(option);
            }
        }
        if (readyPort >= 0 && readyLog != null) {
            throw new UsageException("--ready-port and --ready-log exclude each other: give one");
        }
        if (separator < 0) {
            throw new UsageException(MISSING_SEPARATOR);
        }
        List<String> command = List.copyOf(args.subList(separator + 1, args.size()));
        checkCommand(command);
        if (load != null && load.contains("{port}") && readyPort < 0 && (readyLog == null || readyLog.matcher("").groupCount() < 1)) {
            throw new UsageException("--load uses {port}, but no port is known: give --ready-port, or a --ready-log REGEX with a group capturing it");
        }
        if (arms.stream().anyMatch(Arm::hasAgent) && !Files.isRegularFile(agentJar)) {
            throw new UsageException("agent jar not found: " + agentJar + " (build it: ./mvnw -B -pl agent -am package)");
        }
        if (arms.contains(Arm.EMPTY) && EmptyAgent.jar().isEmpty()) {
            throw new UsageException(EmptyAgent.NOT_IN_A_JAR);
        }
        if (out == null) {
            out = Path.of("ab-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        if (sites > 0 && arms.stream().noneMatch(Arm::hasAgent)) {
            throw new UsageException("--sites needs an agent arm (passthrough or emma) in --arms");
        }
        return new AbOptions(arms, reps, warmup, duration, idle, readyPort, readyLog, readyTimeout, load, out,
                agentJar.toAbsolutePath(), sites, command, false);
    }

    private static void checkCommand(List<String> command) throws UsageException {
        if (command.isEmpty()) {
            throw new UsageException("no command after '--': give the service's command, java ... -jar app.jar");
        }
        String first = command.getFirst();
        if (!Path.of(first).getFileName().toString().equals("java")) {
            throw new UsageException("the command must start with java (got '" + first + "'): scripts/ab runs a JVM service");
        }
        for (int i = 1; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg.startsWith("-javaagent:") && arg.contains("emma-agent")) {
                throw new UsageException("the command already loads the Emma agent (" + arg + "): scripts/ab adds it per arm; remove it");
            }
            if (arg.equals("-jar")) {
                if (i + 1 >= command.size()) {
                    throw new UsageException("-jar needs a jar file");
                }
                if (!Files.isRegularFile(Path.of(command.get(i + 1)))) {
                    throw new UsageException("jar file not found: " + command.get(i + 1));
                }
                return; // what follows is the application's arguments
            }
        }
    }

    static List<Arm> arms(String value) throws UsageException {
        Set<Arm> arms = new LinkedHashSet<>();
        for (String id : value.split(",")) {
            Arm arm = Arm.byId(id.trim())
                    .orElseThrow(() -> new UsageException("unknown arm '" + id.trim() + "' in --arms: use none, empty, passthrough, emma"));
            if (!arms.add(arm)) {
                throw new UsageException("arm '" + id.trim() + "' named twice in --arms");
            }
        }
        return new ArrayList<>(arms);
    }

    private static int positive(String option, String value) throws UsageException {
        return whole(value, 1, Integer.MAX_VALUE, option + " needs a whole number of at least 1");
    }

    private static int sites(String value) throws UsageException {
        return whole(value, 1, 1000, "--sites needs a number of allocation sites from 1 to 1000");
    }

    private static int port(String value) throws UsageException {
        return whole(value, 1, 65535, "--ready-port needs a port number 1..65535");
    }

    /** {@code value} as a whole number in {@code min..max}, or {@code need} and the value as the one line of the error. */
    private static int whole(String value, int min, int max, String need) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException(need + ", not '" + value + "'");
    }

    private static Pattern regex(String value) throws UsageException {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new UsageException("--ready-log is not a valid regex: " + e.getDescription() + " in '" + value + "'");
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");

    /** {@code 500ms}, {@code 10s}, {@code 2m}; a bare number is seconds. */
    static Duration duration(String option, String value, boolean zeroAllowed) throws UsageException {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            double number = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> number;
                case "m" -> number * 60_000;
                default -> number * 1000;
            };
            if (millis > 0 || zeroAllowed) {
                return Duration.ofMillis(Math.round(millis));
            }
        }
        throw new UsageException(option + " needs a duration such as 500ms, 10s or 2m" + (zeroAllowed ? "" : ", above zero")
                + ", not '" + value + "'");
    }

    /** Bad input: one line for the user, exit code 2. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
