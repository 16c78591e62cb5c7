package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.HelloApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration: mode=off, bad options (fail open, or stop with strict), and the sources' precedence. */
class OptionsIT {

    private static final List<String> HELLO_INACTIVE = List.of(HelloApp.LINES[0], HelloApp.LINES[1], HelloApp.LINES[2], "agent mode: none");
    private static final List<String> HELLO_ACTIVE = List.of(HelloApp.LINES[0], HelloApp.LINES[1], HelloApp.LINES[2], "agent mode: passthrough");

    @Test
    void modeOffInstrumentsNothingAndSaysNothing() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class).withAgent("mode=off").run().assertExit(0);
        assertEquals(HELLO_INACTIVE, result.stdoutLines(), result::describe);
        assertEquals(List.of(), result.stderrLines(), result::describe);
    }

    @Test
    void unknownOptionIsOneClearLineNamingTheValidOnesAndTheApplicationRuns() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class).withAgent("mode=emma,colour=blue").run().assertExit(0);
        assertEquals(HELLO_INACTIVE, result.stdoutLines(), result::describe);
        String message = singleAgentMessage(result);
        assertTrue(message.startsWith("emma-agent: Emma is OFF, the application runs without it: unknown option 'colour' (-javaagent argument)"),
                message);
        assertTrue(message.contains("mode=emma|passthrough|off") && message.contains("checks=true|false")
                && message.contains("stats=") && message.contains("summary=true|false") && message.contains("strict=true|false")
                && message.contains("maxMappedBytes=<bytes, e.g. 512m or 4g; 0 = no cap>"), message);
    }

    @Test
    void badValueNamesTheOptionItsSourceAndTheValidValues() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class).withAgent(null).env("EMMA_MODE", "fast").run().assertExit(0);
        assertEquals(HELLO_INACTIVE, result.stdoutLines(), result::describe);
        String message = singleAgentMessage(result);
        assertEquals("emma-agent: Emma is OFF, the application runs without it: bad value 'fast' for option mode "
                + "(environment variable EMMA_MODE); valid: mode=emma|passthrough|off", message);
    }

    @Test
    void strictStopsStartUpOnABadOption() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class).withAgent("strict,stats=often").run();
        assertEquals(1, result.exitCode(), result::describe);
        assertEquals(List.of(), result.stdoutLines(), result::describe); // main never ran
        assertEquals(List.of("emma-agent: bad value 'often' for option stats (-javaagent argument); "
                + "valid: stats=off|<period, e.g. 10s or 500ms>; stopping the JVM (strict=true)"), result.stderrLines(), result::describe);
    }

    @Test
    void agentArgumentsWinOverSystemPropertiesWhichWinOverEnvironment() throws Exception {
        // environment says off, the system property says passthrough, the argument says emma: emma wins
        ChildResult result = ChildJvm.of(dev.emma.it.app.ScenarioApp.class, "mode")
                .withAgent("mode=emma").jvm("-Demma.mode=passthrough", "--enable-native-access=ALL-UNNAMED", "-Dit.expect=emma")
                .env("EMMA_MODE", "off").run().assertExit(0);
        assertEquals(List.of("PASS mode"), result.stdoutLines(), result::describe);
        // without the argument the system property wins over the environment
        result = ChildJvm.of(dev.emma.it.app.ScenarioApp.class, "mode")
                .withAgent(null).jvm("-Demma.mode=passthrough", "-Dit.expect=passthrough")
                .env("EMMA_MODE", "off").run().assertExit(0);
        assertEquals(List.of("PASS mode"), result.stdoutLines(), result::describe);
        // and the environment alone is read too
        result = ChildJvm.of(HelloApp.class).withAgent(null).env("EMMA_MODE", "off").run().assertExit(0);
        assertEquals(HELLO_INACTIVE, result.stdoutLines(), result::describe);
    }

    @Test
    void summaryLogsTheCoverageReportOnceThroughSystemLoggerOnStderr() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class, "wait").withAgent("mode=passthrough,summary=true").run().assertExit(0);
        assertEquals(HELLO_ACTIVE, result.stdoutLines(), result::describe);
        List<String> stderr = result.stderrLines();
        assertEquals(1, stderr.stream().filter(l -> l.endsWith("emma-agent: coverage report (mode=passthrough, at exit)")).count(),
                result::describe);
        assertTrue(stderr.contains("emma-agent: end of coverage report"), result::describe);
        assertTrue(stderr.stream().anyMatch(l -> l.startsWith("Configuration: mode=passthrough ")), result::describe);
    }

    @Test
    void statsLogsOneLinePerPeriod() throws Exception {
        ChildResult result = ChildJvm.of(dev.emma.it.app.ScenarioApp.class, "mode", "mbeanAndJfr")
                .withAgent("mode=passthrough,stats=200ms").jvm("-Dit.expect=passthrough", "--sun-misc-unsafe-memory-access=allow")
                .run().assertExit(0);
        assertEquals(List.of("PASS mode", "PASS mbeanAndJfr"), result.stdoutLines(), result::describe);
        long lines = result.stderrLines().stream().filter(l -> l.contains("emma-agent: mode=passthrough live=")).count();
        assertTrue(lines >= 3, () -> lines + " statistics lines in 1.2 s at 200 ms:\n" + result.describe());
    }

    /** Regression: the agent accepted 512m, then the core's own parser rejected it and the JVM ran without Emma. */
    @Test
    void sizesAndPeriodsHaveOneGrammarInEverySourceAndReachTheCore() throws Exception {
        ChildResult result = ChildJvm.of(dev.emma.it.app.ConfigApp.class).withAgent("purgeDelay=2s")
                .jvm("-Demma.maxMappedBytes=512m", "--enable-native-access=ALL-UNNAMED").run().assertExit(0);
        assertEquals(List.of("maxMappedBytes=" + (512L << 20) + " purgeDelay=2000ms"), result.stdoutLines(), result::describe);
        assertEquals("", result.stderr(), result::describe);
        result = ChildJvm.of(dev.emma.it.app.ConfigApp.class).withAgent(null).env("EMMA_MAX_MAPPED_BYTES", "1g")
                .env("EMMA_PURGE_DELAY", "750ms").jvm("--enable-native-access=ALL-UNNAMED").run().assertExit(0);
        assertEquals(List.of("maxMappedBytes=" + (1L << 30) + " purgeDelay=750ms"), result.stdoutLines(), result::describe);
    }

    @Test
    void unknownSystemPropertiesAndEnvironmentTyposTurnEmmaOffInOneLine() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class).withAgent(null).jvm("-Demma.purgeDelayMillis=25").run().assertExit(0);
        assertEquals(HELLO_INACTIVE, result.stdoutLines(), result::describe);
        assertTrue(singleAgentMessage(result).startsWith(
                "emma-agent: Emma is OFF, the application runs without it: unknown option '-Demma.purgeDelayMillis' (system property); "
                        + "valid options: mode=emma|passthrough|off"), result::describe);
        result = ChildJvm.of(HelloApp.class).withAgent(null).env("EMMA_SUMMARY", "ture").run().assertExit(0);
        assertEquals(HELLO_INACTIVE, result.stdoutLines(), result::describe);
        assertEquals("emma-agent: Emma is OFF, the application runs without it: bad value 'ture' for option summary "
                + "(environment variable EMMA_SUMMARY); valid: summary=true|false", singleAgentMessage(result));
        assertEquals(1, result.stderrLines().size(), result::describe);
    }

    @Test
    void summaryLogsTheEffectiveConfigurationWithTheSourceOfEachValueInOneLine() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class, "wait").withAgent("mode=passthrough,summary")
                .jvm("-Demma.maxMappedBytes=512m").env("EMMA_STATS", "off").run().assertExit(0);
        List<String> lines = result.stderrLines().stream().filter(l -> l.contains("emma-agent: configuration: ")).toList();
        assertEquals(1, lines.size(), result::describe);
        String line = lines.get(0);
        assertTrue(line.contains("mode=passthrough (-javaagent argument), install=premain (default), checks=false (default), "
                + "stats=off (environment variable EMMA_STATS), summary=true (-javaagent argument)"), line);
        assertTrue(line.contains("maxMappedBytes=512m (system property emma.maxMappedBytes)"), line);
    }

    @Test
    void ofTwoEmmaAgentsTheFirstWinsAndTheSecondSaysSo() throws Exception {
        String agent = "-javaagent:" + dev.emma.it.support.TestEnvironment.agentJar();
        for (String[] order : new String[][] {{"emma", "passthrough"}, {"passthrough", "emma"}}) {
            ChildResult result = ChildJvm.of(dev.emma.it.app.ScenarioApp.class, "mode")
                    .jvm(agent + "=mode=" + order[0], agent + "=mode=" + order[1], "--enable-native-access=ALL-UNNAMED",
                            "-Dit.expect=" + order[0]).run().assertExit(0);
            assertEquals(List.of("PASS mode"), result.stdoutLines(), result::describe);
            assertEquals(List.of("emma-agent: an Emma agent is already running in this JVM; this -javaagent=mode=" + order[1]
                    + " is ignored and the first one stays in effect"), result.stderrLines(), result::describe);
        }
    }

    /**
     * A premain that failed open leaves Emma off for the JVM's life; a later attach used to be told
     * "an Emma agent is already running in this JVM; this -javaagent ... is ignored" (review r5).
     */
    @Test
    void anAttachAfterAFailedStartUpIsToldEmmaIsOff() throws Exception {
        String jar = dev.emma.it.support.TestEnvironment.agentJar().toString();
        ChildResult result = ChildJvm.of(dev.emma.it.app.SelfAttachApp.class, jar, "mode=emma")
                .jvm("-javaagent:" + jar + "=colour=blue", "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading",
                        "--enable-native-access=ALL-UNNAMED")
                .run().assertExit(0);
        assertEquals(List.of("attached"), result.stdoutLines(), result::describe);
        List<String> lines = result.stderrLines().stream().filter(l -> l.contains("emma-agent")).toList();
        assertEquals(2, lines.size(), result::describe);
        assertTrue(lines.get(0).startsWith("emma-agent: Emma is OFF, the application runs without it: ") && lines.get(0).contains("colour"),
                result::describe);
        assertTrue(lines.get(1).startsWith("emma-agent: Emma is off in this JVM since its start-up failed (") && lines.get(1).contains("colour")
                && lines.get(1).endsWith("); this attach (mode=emma) is ignored: restart the JVM to use Emma"), result::describe);
    }

    /** The agent's line, without the logging framework's header line. */
    private static String singleAgentMessage(ChildResult result) {
        List<String> lines = result.stderrLines().stream().filter(l -> l.contains("emma-agent")).toList();
        assertEquals(1, lines.size(), result::describe);
        return lines.get(0);
    }
}
