package dev.emma.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JmhRowTest {

    private static final List<String> CSV = List.of(
            "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: impl\",\"Param: size\"",
            "\"dev.emma.bench.jmh.PairBenchmark.pair1\",\"thrpt\",1,3,39.292526,1.5,\"ops/us\",unsafe,64",
            "\"dev.emma.bench.jmh.PairBenchmark.pair1:gc.alloc.rate.norm\",\"thrpt\",1,3,0.000352,NaN,\"B/op\",unsafe,64",
            "\"dev.emma.bench.jmh.PairBenchmark.pair1\",\"thrpt\",1,3,70.5,2.0,\"ops/us\",emma,64",
            "\"dev.emma.bench.jmh.ProducerConsumerBenchmark.handoff:producer\",\"thrpt\",2,3,5.0,NaN,\"ops/us\",unsafe,4096");

    @Test
    void attributesEmmaRowsToTheCoreAndKeepsSecondaryMetrics() {
        List<JmhRow> rows = JmhRow.parse(CSV, "jemalloc");

        assertEquals(4, rows.size());
        assertEquals(new JmhRow("jemalloc", "PairBenchmark.pair1", 64, 1, 39.292526, 1.5, "ops/us"), rows.get(0));
        assertEquals("PairBenchmark.pair1:gc.alloc.rate.norm", rows.get(1).benchmark());
        assertTrue(Double.isNaN(rows.get(1).error()));
        assertFalse(rows.get(1).primary());
        assertEquals(AllocatorConfig.EMMA_CORE, rows.get(2).config());
        assertEquals("ProducerConsumerBenchmark.handoff:producer", rows.get(3).benchmark());
        assertEquals(4096, rows.get(3).size());
    }

    @Test
    void rowsWithoutASizeParameterHaveSizeZero() {
        List<JmhRow> rows = JmhRow.parse(List.of(
                "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\"",
                "\"dev.emma.bench.jmh.ReallocBenchmark.growTo1MiB\",\"thrpt\",1,3,120.5,4.25,\"ops/ms\""), "glibc");

        assertEquals(List.of(new JmhRow("glibc", "ReallocBenchmark.growTo1MiB", 0, 1, 120.5, 4.25, "ops/ms")), rows);
    }

    @Test
    void theCoresImplsAreTheirOwnConfigs() {
        List<JmhRow> rows = JmhRow.parse(List.of(
                "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: impl\",\"Param: size\"",
                "\"dev.emma.bench.jmh.PairBenchmark.pair1\",\"thrpt\",1,3,50.0,1.0,\"ops/us\",unsafe,64",
                "\"dev.emma.bench.jmh.PairBenchmark.pair1\",\"thrpt\",1,3,70.0,1.0,\"ops/us\",emma,64",
                "\"dev.emma.bench.jmh.PairBenchmark.pair1\",\"thrpt\",1,3,60.0,1.0,\"ops/us\",emmacall,64"), "agent-none");

        assertEquals(List.of("agent-none", AllocatorConfig.EMMA_CORE, AllocatorConfig.EMMA_CALL),
                rows.stream().map(JmhRow::config).toList());
    }

    @Test
    void csvSplitHandlesQuotesCommasAndEscapedQuotes() {
        assertEquals(List.of("a,b", "c", "say \"hi\"", ""), Csv.split("\"a,b\",c,\"say \"\"hi\"\"\","));
    }

    @Test
    void mediansTakeTheMiddleRoundOfEachCellWithHalfTheSpreadAsError() {
        List<JmhRow> rows = List.of(
                new JmhRow("emma", "PairBenchmark.pair1", 64, 1, 77.0, 1.0, "ops/us"),
                new JmhRow("emma", "PairBenchmark.pair1", 4096, 1, 50.0, 1.0, "ops/us"),
                new JmhRow("emma", "PairBenchmark.pair1", 64, 1, 112.0, 1.0, "ops/us"),
                new JmhRow("emma-core", "PairBenchmark.pair1", 64, 1, 80.0, 1.0, "ops/us"),
                new JmhRow("emma", "PairBenchmark.pair1", 64, 1, 110.0, 1.0, "ops/us"));

        assertEquals(List.of(new JmhRow("emma", "PairBenchmark.pair1", 64, 1, 110.0, 17.5, "ops/us"),
                new JmhRow("emma", "PairBenchmark.pair1", 4096, 1, 50.0, 1.0, "ops/us"),
                new JmhRow("emma-core", "PairBenchmark.pair1", 64, 1, 80.0, 1.0, "ops/us")), JmhRow.medians(rows));
    }
}
