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
        assertTrue(message.contains("unknown emma-agent option 'colour'"), message);
        assertTrue(message.contains("mode=emma|passthrough|off") && message.contains("checks=true|false")
                && message.contains("stats=") && message.contains("summary=true|false") && message.contains("strict=true|false"), message);
    }

    @Test
    void badValueNamesTheOptionItsSourceAndTheValidValues() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class).withAgent(null).env("EMMA_MODE", "fast").run().assertExit(0);
        assertEquals(HELLO_INACTIVE, result.stdoutLines(), result::describe);
        String message = singleAgentMessage(result);
        assertTrue(message.contains("bad value 'fast' for emma-agent option mode (from environment variable EMMA_MODE)"), message);
        assertTrue(message.contains("mode=emma|passthrough|off"), message);
    }

    @Test
    void strictStopsStartUpOnABadOption() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class).withAgent("strict,stats=often").run();
        assertNotEquals(0, result.exitCode(), result::describe);
        assertTrue(result.stdoutLines().stream().noneMatch(l -> l.startsWith("hello")), result::describe); // main never ran
        assertTrue(result.stderr().contains("bad value 'often' for emma-agent option stats"), result::describe);
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

    /** The agent's line, without the logging framework's header line. */
    private static String singleAgentMessage(ChildResult result) {
        List<String> lines = result.stderrLines().stream().filter(l -> l.contains("emma-agent")).toList();
        assertEquals(1, lines.size(), result::describe);
        return lines.get(0);
    }
}
