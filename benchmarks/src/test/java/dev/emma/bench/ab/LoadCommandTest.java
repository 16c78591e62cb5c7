package dev.emma.bench.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadCommandTest {

    @TempDir
    Path dir;

    @Test
    void placeholdersBecomeThePhaseAndThePort() {
        LoadCommand load = new LoadCommand("wrk -t1 -c32 -d{seconds}s --latency http://127.0.0.1:{port}/");

        assertEquals("wrk -t1 -c32 -d30s --latency http://127.0.0.1:8080/", load.expand(30_000, 8080));
        assertEquals("wrk -t1 -c32 -d2s --latency http://127.0.0.1:8080/", load.expand(1_500, 8080)); // whole seconds, rounded up
        assertTrue(load.endsByItself());
        assertTrue(LoadCommand.isWrk(load.expand(1000, 1)));
        assertTrue(LoadCommand.isWrk("/usr/bin/wrk -d1s http://127.0.0.1:1/"));
    }

    @Test
    void aFailingCommandIsAFailureWithItsLastLine() throws Exception {
        LoadCommand.Outcome outcome = new LoadCommand("echo 'cannot connect' >&2; exit 3 # {seconds}").run("measure", 1000, 1, 1, dir.resolve("load.txt"));

        assertEquals("load command failed (exit code 3): cannot connect (see load.txt)", outcome.failure());
    }

    @Test
    void aCommandWithoutSecondsIsStoppedWhenThePhaseEndsAndThatIsNoFailure() throws Exception {
        long start = System.nanoTime();
        LoadCommand.Outcome outcome = new LoadCommand("while true; do sleep 0.05; done").run("warmup", 300, 1, 1, dir.resolve("load.txt"));

        assertNull(outcome.failure());
        assertTrue((System.nanoTime() - start) / 1e9 < 5, "stopped at the end of its phase");
    }

    @Test
    void wrkFiguresAndTroubleAreRead() throws Exception {
        Path fake = dir.resolve("fake-wrk.txt");
        Files.writeString(fake, """
                Running 1s test @ http://127.0.0.1:1/
                  Latency Distribution
                     50%  120.00us
                     99%    2.50ms
                  Non-2xx or 3xx responses: 17
                Requests/sec:  41000.50
                """);
        LoadCommand.Outcome outcome = new LoadCommand("cat " + fake + " # {seconds} {port}").run("measure", 1000, 1, 1, dir.resolve("load.txt"));

        assertNull(outcome.failure());
        assertEquals(41000.5, outcome.wrk().orElseThrow().requestsPerSecond());
        assertEquals(2.5, outcome.wrk().orElseThrow().p99Millis());
        assertEquals(List.of("wrk: Non-2xx or 3xx responses: 17"), outcome.notes());
    }

    @Test
    void theEnvironmentNamesThePhase() throws Exception {
        new LoadCommand("echo $AB_PHASE $AB_SECONDS $AB_PORT $AB_PID {seconds}").run("warmup", 2000, 8080, 42, dir.resolve("load.txt"));

        assertEquals("warmup 2 8080 42 2\n", Files.readString(dir.resolve("load.txt")));
    }
}
