package dev.emma.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mode=emma (the default): every off-heap path is served by Emma. */
class EmmaModeIT {

    private static ScenarioRun run;

    @BeforeAll
    static void runScenarios() throws Exception {
        run = ScenarioRun.inMode("emma");
    }

    @Test
    void reportsItsMode() {
        run.assertPassed("mode");
    }

    @Test
    void directBuffersFromZeroTo64MiBAreZeroedKeepContentAndAreEmmas() {
        run.assertPassed("directBuffers");
    }

    @Test
    void reusedDirectBufferMemoryReadsAsZeros() {
        run.assertPassed("directBufferReuseReadsZero");
    }

    @Test
    void sunMiscUnsafeAllocatesReallocatesAcrossSizeClassesAndFrees() {
        run.assertPassed("unsafe");
    }

    @Test
    void unsafeEdgeCasesKeepTheJdksAnswers() {
        run.assertPassed("unsafeEdgeCases");
    }

    @Test
    void confinedSharedAndAutoArenasAreServedByEmma() {
        run.assertPassed("arenas");
    }

    @Test
    void unreachableDirectBuffersAreFreedAfterGc() {
        run.assertPassed("freedByGc");
    }

    @Test
    void invokeCleanerFreesAtOnce() {
        run.assertPassed("freedByInvokeCleaner");
    }

    @Test
    void twoThreadsChurningWithCrossThreadFrees() {
        run.assertPassed("twoThreadsChurning");
    }

    @Test
    void mbeanAndJfrEventAgreeWithWhatWasAllocated() {
        run.assertPassed("mbeanAndJfr");
    }

    @Test
    void nothingButTheApplicationsOutput() {
        run.assertOutputIsTheApplicationsOnly();
    }
}
