package dev.emma.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WrkTest {

    private static String output(String p99) {
        return """
                Running 5s test @ http://127.0.0.1:40000/
                  1 threads and 32 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency     1.52ms    2.10ms  40.12ms   93.10%
                    Req/Sec    21.33k     1.20k   23.00k    80.00%
                  Latency Distribution
                     50%    1.10ms
                     75%    1.40ms
                     90%    2.00ms
                     99%    P99
                  106650 requests in 5.00s, 9.66MB read
                Requests/sec:  21330.12
                Transfer/sec:      1.93MB
                """.replace("P99", p99);
    }

    @Test
    void readsRequestsPerSecondAndP99InMilliseconds() {
        Wrk.Result result = Wrk.parse(output("12.34ms")).orElseThrow();
        assertEquals(21330.12, result.requestsPerSecond(), 1e-9);
        assertEquals(12.34, result.p99Millis(), 1e-9);
    }

    @Test
    void convertsMicrosecondsAndSeconds() {
        assertEquals(0.85, Wrk.parse(output("850.00us")).orElseThrow().p99Millis(), 1e-9);
        assertEquals(1200, Wrk.parse(output("1.20s")).orElseThrow().p99Millis(), 1e-9);
    }

    @Test
    void noResultWhenWrkFailed() {
        assertTrue(Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused").isEmpty());
    }
}
