package dev.emma.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mode=passthrough: instrumented and counted, the native allocator serves everything. */
class PassthroughModeIT {

    private static ScenarioRun run;

    @BeforeAll
    static void runScenarios() throws Exception {
        run = ScenarioRun.inMode("passthrough");
    }

    @Test
    void reportsItsMode() {
        run.assertPassed("mode");
    }

    @Test
    void directBuffersFromZeroTo64MiBAreZeroedKeepContent() {
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
    void confinedSharedAndAutoArenasAreCounted() {
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
