package dev.emma.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The scenarios of {@link dev.emma.it.app.ScenarioApp}, run once in one forked JVM per mode, one
 * test per scenario. The app itself checks what each mode must do (it reads {@code -Dit.expect}):
 * in {@code emma} that Emma served the memory, in {@code passthrough} that the native allocator
 * did and the figures counted it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one forked JVM for all the tests of a mode
abstract class ScenariosInMode {

    private final String mode;
    private ScenarioRun run;

    ScenariosInMode(String mode) {
        this.mode = mode;
    }

    @BeforeAll
    void runScenarios() throws Exception {
        run = ScenarioRun.inMode(mode);
    }

    @Test
    void reportsItsMode() {
        run.assertPassed("mode");
    }

    @Test
    void directBuffersFromZeroTo64MiBAreZeroedKeepContentAndComeFromTheModesAllocator() {
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
    void confinedSharedAndAutoArenasAreServedAndCounted() {
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
