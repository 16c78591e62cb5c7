package dev.emma.it;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mode=emma with checks=true: Emma's checked mode finds no bad free in the JDK's own use. */
class EmmaChecksModeIT {

    private static final List<String> SCENARIOS = List.of("mode", "directBuffers", "unsafe", "arenas", "freedByGc",
            "twoThreadsChurning");

    private static ScenarioRun run;

    @BeforeAll
    static void runScenarios() throws Exception {
        run = ScenarioRun.withOptions("emma", "mode=emma,checks=true", SCENARIOS);
    }

    @Test
    void everyPathWorksAndNoFreeIsReported() {
        SCENARIOS.forEach(run::assertPassed);
        run.assertOutputIsTheApplicationsOnly(SCENARIOS);
    }
}
