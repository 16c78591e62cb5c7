package dev.emma.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Arrow workload as the suite starts it (its spec's arguments and JVM options): it runs and
 * reports on Arrow's Unsafe manager and on the core's, so that a full run does not find it broken.
 */
class ArrowWorkloadTest {

    private static final Path JAVA = Path.of(ProcessHandle.current().info().command().orElseThrow());
    private static final Path CLASS_PATH = Path.of(System.getProperty("java.class.path"));

    @ParameterizedTest
    @ValueSource(strings = {"unsafe", "emma"})
    void runsAndReportsBatchesPerSecond(String rawMemory, @TempDir Path dir) throws Exception {
        WorkloadSpec arrow = WorkloadSpec.all(true).stream().filter(w -> w.id().equals("arrow")).findFirst().orElseThrow();
        AllocatorConfig config = new AllocatorConfig(rawMemory, rawMemory, Map.of(), List.of(), rawMemory, null);
        List<String> args = arrow.args().apply(config);
        assertTrue(args.contains("memory=" + rawMemory), args::toString);
        try (ChildJvm child = ChildJvm.start(JAVA, CLASS_PATH, config, WorkloadSuite.jvmArgs(arrow), arrow.mainClass(), args,
                dir.resolve("err.log"), 50)) {
            ChildJvm.Outcome outcome = child.await(arrow.timeoutMillis());

            assertNull(outcome.failure(), () -> outcome.failure() + "\n" + stderr(dir.resolve("err.log")));
            assertEquals("batches/s", outcome.result().get("unit"));
            assertTrue(Long.parseLong(outcome.result().get("operations")) > 0, outcome.result()::toString);
            assertTrue(outcome.phases().containsKey("run"));
        }
    }

    private static String stderr(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "<" + e + ">";
        }
    }
}
