package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.ScenarioApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The JFR event as an operator sees it: a recording from the command line, read with {@code jfr print}. */
class JfrPrintIT {

    @Test
    void jfrPrintShowsTheAllocatorEvent() throws Exception {
        Path recording = ChildJvm.scratch("jfr").resolve("emma.jfr");
        ChildResult result = ChildJvm.of(ScenarioApp.class, "mode", "directBuffers", "mbeanAndJfr").withAgent("mode=emma")
                .jvm("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Dit.expect=emma",
                        "-XX:StartFlightRecording:filename=" + recording)
                .run().assertExit(0);
        List<String> application = result.stdoutLines().stream().filter(l -> !l.contains("[jfr,startup]")).toList(); // the JDK's
        assertEquals(List.of("PASS mode", "PASS directBuffers", "PASS mbeanAndJfr"), application, result::describe);

        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        Process print = new ProcessBuilder(jfr.toString(), "print", "--events", "dev.emma.Allocator", recording.toString())
                .redirectErrorStream(true).start();
        String output = new String(print.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(print.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, print.exitValue(), output);
        assertTrue(output.contains("dev.emma.Allocator {"), output);
        assertTrue(output.contains("mode = \"emma\""), output);
        for (String field : List.of("liveBytes", "liveAllocations", "mappedBytes", "residentBytes", "totalAllocations",
                "totalFrees", "foreignFrees", "directBufferAllocations", "unsafeAllocations", "ffmAllocations")) {
            assertTrue(output.contains(field + " = "), () -> field + " missing in:\n" + output);
        }
    }
}
