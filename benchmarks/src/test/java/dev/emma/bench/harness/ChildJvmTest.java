package dev.emma.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real workload JVMs through the harness's process protocol (short runs; no timing asserted). */
class ChildJvmTest {

    private static final Path JAVA = Path.of(ProcessHandle.current().info().command().orElseThrow());
    private static final Path CLASS_PATH = Path.of(System.getProperty("java.class.path"));
    private static final AllocatorConfig GLIBC = new AllocatorConfig("glibc", "glibc", Map.of(), List.of(), "unsafe", null);

    @Test
    void collectsResultPhasesAndRssSamples(@TempDir Path dir) throws Exception {
        try (ChildJvm child = ChildJvm.start(JAVA, CLASS_PATH, GLIBC, List.of(), WorkloadSpec.PACKAGE + "Larson",
                List.of("threads=2", "slots=100", "seconds=0.5", "ringLog2=4"), dir.resolve("err.log"), 20)) {
            ChildJvm.Outcome outcome = child.await(60_000);

            assertNull(outcome.failure());
            assertEquals("ops/s", outcome.result().get("unit"));
            assertTrue(Double.parseDouble(outcome.result().get("operations")) > 0);
            assertEquals("16", outcome.result().get("ringBlocks")); // bounds the blocks in flight
            assertTrue(Long.parseLong(outcome.result().get("peakRssBytes")) > 0);
            assertTrue(outcome.phases().containsKey("run"));
            assertFalse(outcome.samples().isEmpty());
        }
    }

    @Test
    void aFailingWorkloadIsReportedNotHidden(@TempDir Path dir) throws Exception {
        try (ChildJvm child = ChildJvm.start(JAVA, CLASS_PATH, GLIBC, List.of(), WorkloadSpec.PACKAGE + "Larson",
                List.of("nonsense=1"), dir.resolve("err.log"), 20)) {
            ChildJvm.Outcome outcome = child.await(60_000);

            assertTrue(outcome.failure().startsWith("exit code"), outcome.failure());
            assertTrue(outcome.result().isEmpty());
        }
    }
}
