package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.ScenarioApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.util.List;

/** One child JVM that ran every scenario of {@link ScenarioApp} with the agent in one mode. */
final class ScenarioRun {

    static final List<String> SCENARIOS = List.of("mode", "directBuffers", "directBufferReuseReadsZero", "unsafe",
            "unsafeEdgeCases", "arenas", "freedByGc", "freedByInvokeCleaner", "twoThreadsChurning", "mbeanAndJfr");

    final ChildResult result;

    private ScenarioRun(ChildResult result) {
        this.result = result;
    }

    static ScenarioRun inMode(String mode) throws Exception {
        return withOptions(mode, "mode=" + mode, SCENARIOS);
    }

    static ScenarioRun withOptions(String mode, String options, List<String> scenarios) throws Exception {
        ChildResult result = ChildJvm.of(ScenarioApp.class, scenarios.toArray(new String[0]))
                .withAgent(options)
                .jvm("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx512m",
                        "-Dit.expect=" + mode)
                .run();
        return new ScenarioRun(result);
    }

    void assertPassed(String scenario) {
        assertTrue(result.stdoutLines().contains("PASS " + scenario), () -> scenario + " did not pass:\n" + result.describe());
    }

    /** Each scenario printed exactly its line, nothing else reached stdout or stderr. */
    void assertOutputIsTheApplicationsOnly() {
        assertOutputIsTheApplicationsOnly(SCENARIOS);
    }

    void assertOutputIsTheApplicationsOnly(List<String> scenarios) {
        assertEquals(scenarios.stream().map(s -> "PASS " + s).toList(), result.stdoutLines(), result::describe);
        assertEquals(List.of(), result.stderrLines(), result::describe);
        result.assertExit(0);
    }
}
