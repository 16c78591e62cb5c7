package dev.emma.bench.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against a small real server (app.TinyServer, the JDK's HTTP server taking a direct
 * buffer per request) in forked JVMs, loaded by app.TinyLoad: every arm, one short rep. The agent
 * jar is the one the reactor built before this module (benchmarks depends on the agent for that).
 */
class AbRunTest {

    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();
    /** Only the test classes: the services must not see the agent's or the core's classes on their class path. */
    private static final String CLASS_PATH = classesOf(dev.emma.bench.ab.app.TinyServer.class);
    private static final Path AGENT = Path.of(System.getProperty("emma.agentJar", "../agent/target/emma-agent.jar"));
    private static final String SERVER = "dev.emma.bench.ab.app.TinyServer";

    @TempDir
    Path out;

    @Test
    void everyArmRunsAndIsMeasured() throws Exception {
        assumeTrue(Files.isRegularFile(AGENT), AGENT + " is built by the agent module's package phase (./mvnw verify)");
        String load = "'" + JAVA + "' -cp '" + CLASS_PATH + "' dev.emma.bench.ab.app.TinyLoad {port} {seconds}";

        Run run = run("--arms", "none,passthrough,emma", "--reps", "1", "--warmup", "1s", "--duration", "2s", "--idle", "1s",
                "--ready-log", "LISTENING port=(\\d+)", "--load", load, "--out", out.toString(), "--agent", AGENT.toString(),
                "--sites", "3", "--", JAVA, "-Xmx64m", "-cp", CLASS_PATH, SERVER);

        assertEquals(AbMain.OK, run.code(), run.toString());
        for (String arm : List.of("none", "passthrough", "emma")) {
            assertTrue(said(run, arm, "measuring 2 s under load"), run.progress());
            assertTrue(Files.isRegularFile(out.resolve(arm + "-1.log")), arm + "'s stderr is kept");
        }
        assertTrue(said(run, "passthrough", "agent active, mode=passthrough"), run.progress());
        assertTrue(said(run, "emma", "agent active, mode=emma"), run.progress());

        String table = run.stdout();
        assertTrue(table.contains("| peak RSS (VmHWM), MiB"), table);
        assertEquals(List.of("Emma's share of Java off-heap bytes", "—"), cells(table, "Emma's share").subList(0, 2));
        assertTrue(Files.readString(out.resolve("report.md")).contains(table.strip().lines().findFirst().orElseThrow()));
        byte[] png = Files.readAllBytes(out.resolve("rss.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');

        List<List<String>> samples = Files.readAllLines(out.resolve("samples.csv")).stream().map(l -> Arrays.asList(l.split(",", -1))).toList();
        List<String> header = samples.getFirst();
        int direct = header.indexOf("direct.MemoryUsed");
        int allocations = header.indexOf("emma.TotalAllocations");
        assertTrue(direct > 0 && allocations > 0, "MBean attributes are columns: " + header);
        // the server holds 64 direct buffers of 64 KiB under load, in every arm; the agent counted them in its arms
        assertTrue(max(samples, "none", "measure", direct) >= 1 << 20, "none arm's direct buffers read through JMX");
        assertTrue(max(samples, "emma", "measure", allocations) >= 64, "Emma served the server's direct buffers");
        assertTrue(max(samples, "passthrough", "measure", allocations) >= 64, "passthrough counted them");
        assertTrue(samples.stream().filter(s -> s.getFirst().equals("none")).allMatch(s -> s.get(allocations).isEmpty()),
                "no agent figures without the agent");

        // each agent arm's section: the agent's coverage report and its top sites, the server's 64 KiB buffers among them
        // (first, in all likelihood; SitesIT checks the order where the sample is exact)
        String report = Files.readString(out.resolve("report.md"));
        for (String arm : List.of("passthrough", "emma")) {
            String section = report.substring(report.indexOf("### " + arm));
            section = section.contains("\n### ") ? section.substring(0, section.indexOf("\n### ")) : section;
            assertTrue(section.contains("emma-agent: coverage report (mode=" + arm + ", at exit)"), section);
            assertTrue(section.contains("Configuration: mode=" + arm + " "), section);
            List<String> sites = section.lines().dropWhile(l -> !l.startsWith("emma-agent: top 3 allocation sites")).toList();
            assertTrue(sites.stream().skip(2).limit(3).anyMatch(l -> l.contains(SERVER + ".lambda$main$")), section);
        }
        assertTrue(report.contains("=mode=passthrough|emma,summary,sites=3`; every arm: `--enable-native-access=ALL-UNNAMED`"), "the agent options are in the header");
    }

    @Test
    void aPortThatNeverOpensIsBadInput() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // free now, and the server listens elsewhere
        }
        Run run = run("--arms", "none", "--ready-port", Integer.toString(port), "--ready-timeout", "2s", "--out", out.toString(),
                "--", JAVA, "-cp", CLASS_PATH, SERVER);

        assertEquals(AbMain.BAD_INPUT, run.code(), run.toString());
        assertTrue(run.progress().lines().anyMatch(l -> l.startsWith("scripts/ab: port " + port + " never opened within 2 s")), run.progress());
    }

    @Test
    void aServiceThatExitsAndALoadThatFailsAreFailures() throws Exception {
        Run exits = run("--arms", "none", "--ready-log", "LISTENING", "--out", out.resolve("exits").toString(),
                "--", JAVA, "-cp", CLASS_PATH, "no.such.Main");
        Run loadFails = run("--arms", "none", "--warmup", "0", "--duration", "1s", "--idle", "0", "--ready-log", "LISTENING",
                "--load", "echo refused >&2; exit 7", "--out", out.resolve("load").toString(), "--", JAVA, "-cp", CLASS_PATH, SERVER);

        assertEquals(AbMain.ARM_FAILED, exits.code(), exits.toString());
        assertTrue(exits.stdout().contains("FAIL none rep 1: service exited before it was ready (exit code 1)"), exits.stdout());
        assertTrue(exits.stdout().contains("NOT EVERY ARM RAN AS IT CLAIMS"), exits.stdout());
        assertEquals(AbMain.ARM_FAILED, loadFails.code(), loadFails.toString());
        assertTrue(loadFails.stdout().contains("FAIL none rep 1: measure: load command failed (exit code 7): refused"), loadFails.stdout());
    }

    private record Run(int code, String stdout, String progress) {
    }

    private static String classesOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Run run(String... argv) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        int code = AbMain.run(argv, new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(progress, true, StandardCharsets.UTF_8));
        return new Run(code, stdout.toString(StandardCharsets.UTF_8), progress.toString(StandardCharsets.UTF_8));
    }

    /** A progress line of {@code arm}'s first rep starting with {@code text}. */
    private static boolean said(Run run, String arm, String text) {
        return run.progress().lines().anyMatch(l -> l.matches("\\[\\d/\\d] " + arm + " +rep 1: " + java.util.regex.Pattern.quote(text) + ".*"));
    }

    private static double max(List<List<String>> samples, String arm, String phase, int column) {
        return samples.stream().filter(s -> s.get(0).equals(arm) && s.get(3).equals(phase) && !s.get(column).isEmpty())
                .mapToDouble(s -> Double.parseDouble(s.get(column))).max().orElse(-1);
    }

    private static List<String> cells(String table, String label) {
        String row = table.lines().filter(l -> l.startsWith("| " + label)).findFirst().orElseThrow();
        return Arrays.stream(row.substring(1, row.length() - 1).split("\\|")).map(String::strip).toList();
    }
}
