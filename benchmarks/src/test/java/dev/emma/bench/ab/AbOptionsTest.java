package dev.emma.bench.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.bench.ab.AbOptions.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbOptionsTest {

    @TempDir
    Path dir;
    private String agent;
    private String appJar;

    @BeforeEach
    void files() throws Exception {
        agent = Files.createFile(dir.resolve("emma-agent.jar")).toString();
        appJar = Files.createFile(dir.resolve("app.jar")).toString();
    }

    @Test
    void defaultsFollowTheContract() throws Exception {
        AbOptions options = AbOptions.parse("--agent", agent, "--", "java", "-Xmx1g", "-jar", appJar, "serve");

        assertEquals(List.of(Arm.NONE, Arm.PASSTHROUGH, Arm.EMMA), options.arms());
        assertEquals(3, options.reps());
        assertEquals(Duration.ofSeconds(10), options.warmup());
        assertEquals(Duration.ofSeconds(30), options.duration());
        assertEquals(Duration.ofSeconds(10), options.idle());
        assertEquals(-1, options.readyPort());
        assertEquals(List.of("java", "-Xmx1g", "-jar", appJar, "serve"), options.command());
        assertTrue(options.out().startsWith("ab-results"), options.out().toString());
        assertEquals(0, options.sites(), "no sites unless asked");
    }

    @Test
    void sitesIsACountOfSitesForTheAgentArms() throws Exception {
        assertEquals(15, AbOptions.parse("--sites", "15", "--agent", agent, "--", "java", "-jar", appJar).sites());
        assertError("--sites needs a number of allocation sites from 1 to 1000, not '0'", "--sites", "0", "--agent", agent, "--", "java");
        assertError("--sites needs a number of allocation sites from 1 to 1000, not 'ten'", "--sites", "ten", "--agent", agent, "--", "java");
        assertError("--sites needs an agent arm (passthrough or emma) in --arms", "--arms", "none", "--sites", "5", "--", "java", "-jar", appJar);
    }

    @Test
    void readsEveryOption() throws Exception {
        AbOptions options = AbOptions.parse("--arms", "emma,none", "--reps", "5", "--warmup", "500ms", "--duration", "2m",
                "--idle", "0", "--ready-log", "port=(\\d+)", "--ready-timeout", "1.5s", "--load", "wrk -d{seconds}s http://127.0.0.1:{port}/",
                "--out", dir.resolve("out").toString(), "--agent", agent, "--", "/usr/bin/java", "-cp", "x", "Main");

        assertEquals(List.of(Arm.EMMA, Arm.NONE), options.arms());
        assertEquals(5, options.reps());
        assertEquals(Duration.ofMillis(500), options.warmup());
        assertEquals(Duration.ofMinutes(2), options.duration());
        assertEquals(Duration.ZERO, options.idle());
        assertEquals(Duration.ofMillis(1500), options.readyTimeout());
        assertEquals("port=(\\d+)", options.readyLog().pattern());
        assertEquals(dir.resolve("out"), options.out());
    }

    @Test
    void helpNeedsNothingElse() throws Exception {
        assertTrue(AbOptions.parse("--help").help());
        assertTrue(AbOptions.parse("-h", "--bogus").help());
    }

    @Test
    void badInputIsOneClearLine() {
        assertError("unknown option --frobnicate", "--frobnicate", "--", "java", "-jar", appJar);
        assertError("missing '--' before the service's command", "--agent", agent, "java", "-jar", appJar);
        assertError("unexpected 'java' before '--'", "--agent", agent, "java", "--", "java");
        assertError("no command after '--'", "--agent", agent, "--");
        assertError("the command must start with java (got 'node')", "--agent", agent, "--", "node", "server.js");
        assertError("the command must start with java (got '/usr/bin/javac')", "--agent", agent, "--", "/usr/bin/javac", "X.java");
        assertError("jar file not found: missing.jar", "--agent", agent, "--", "java", "-jar", "missing.jar");
        assertError("--reps needs a whole number of at least 1, not '0'", "--reps", "0", "--agent", agent, "--", "java", "-jar", appJar);
        assertError("--duration needs a duration such as 500ms, 10s or 2m, above zero, not '0'", "--duration", "0", "--agent", agent, "--", "java");
        assertError("--warmup needs a duration such as 500ms, 10s or 2m, not 'soon'", "--warmup", "soon", "--agent", agent, "--", "java");
        assertError("--ready-port needs a port number 1..65535, not '70000'", "--ready-port", "70000", "--agent", agent, "--", "java");
        assertError("--ready-port and --ready-log exclude each other", "--ready-port", "8080", "--ready-log", "x", "--agent", agent, "--", "java");
        assertError("--ready-log is not a valid regex", "--ready-log", "(unclosed", "--agent", agent, "--", "java");
        assertError("unknown arm 'jemalloc' in --arms", "--arms", "none,jemalloc", "--", "java");
        // unit tests run from classes, not from benchmarks.jar: the empty agent has no jar to name
        assertError("the empty agent is -javaagent:benchmarks.jar", "--arms", "none,empty", "--", "java", "-jar", appJar);
        assertError("arm 'emma' named twice in --arms", "--arms", "emma,emma", "--agent", agent, "--", "java");
        assertError("--load uses {port}, but no port is known", "--load", "wrk http://127.0.0.1:{port}/", "--ready-log", "started",
                "--agent", agent, "--", "java");
        assertError("agent jar not found: " + dir.resolve("none.jar"), "--agent", dir.resolve("none.jar").toString(), "--", "java");
        assertError("the command already loads the Emma agent", "--agent", agent, "--", "java", "-javaagent:" + agent, "-jar", appJar);
        assertError("--out needs a value", "--out");
    }

    @Test
    void withoutAgentArmsTheAgentJarIsNotNeeded() throws Exception {
        AbOptions options = AbOptions.parse("--arms", "none", "--agent", dir.resolve("none.jar").toString(), "--", "java", "-jar", appJar);
        assertEquals(List.of(Arm.NONE), options.arms());
    }

    @Test
    void aPortCapturedByTheReadyLogServesTheLoad() throws Exception {
        AbOptions options = AbOptions.parse("--ready-log", "READY port=(\\d+)", "--load", "wrk http://127.0.0.1:{port}/",
                "--agent", agent, "--", "java", "-jar", appJar);
        assertEquals("wrk http://127.0.0.1:{port}/", options.load());
    }

    @Test
    void theRunnerExitsWithTwoAndOneLineOnBadInput() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = AbMain.run(new String[] {"--frobnicate", "--", "java"}, print(out), print(err));

        assertEquals(AbMain.BAD_INPUT, code);
        assertEquals("scripts/ab: unknown option --frobnicate (see --help)\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertEquals(AbMain.OK, AbMain.run(new String[] {"--help"}, print(out), print(new ByteArrayOutputStream())));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: scripts/ab [--arms none,passthrough,emma]"));
    }

    @Test
    void aJavaTooOldForTheAgentIsRefused() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java17), "no JDK 17 on this machine");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = AbMain.run(new String[] {"--agent", agent, "--", java17.toString(), "-jar", appJar}, print(new ByteArrayOutputStream()), print(err));

        assertEquals(AbMain.BAD_INPUT, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is Java 17; Emma's agent needs 22 or newer"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void durations() throws Exception {
        assertEquals(Duration.ofMillis(250), AbOptions.duration("--x", "250ms", false));
        assertEquals(Duration.ofSeconds(7), AbOptions.duration("--x", "7", false));
        assertEquals(Duration.ofMillis(1500), AbOptions.duration("--x", "1.5s", false));
        assertEquals(Duration.ofMinutes(3), AbOptions.duration("--x", "3m", false));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static void assertError(String expected, String... argv) {
        UsageException e = assertThrows(UsageException.class, () -> AbOptions.parse(argv), String.join(" ", argv));
        assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "', got '" + e.getMessage() + "'");
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
