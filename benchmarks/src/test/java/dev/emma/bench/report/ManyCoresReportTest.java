package dev.emma.bench.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManyCoresReportTest {

    private static final List<String> RESULTS = List.of(
            "== machine", "16", "model name\t: Some CPU",
            "== probe", "probe churn core wave=16: ok=30 failed=0",
            "== workloads",
            "Larson glibc threads=16 seconds=3 :: RESULT throughput=4.0e+07 unit=ops/s peakRssBytes=314572800 rssEndBytes=1",
            "Larson jemalloc threads=16 seconds=3 :: RESULT throughput=3.0e+07 unit=ops/s peakRssBytes=209715200 rssEndBytes=1",
            "Larson mimalloc threads=16 seconds=3 :: RESULT throughput=5.0e+07 unit=ops/s peakRssBytes=419430400 rssEndBytes=1",
            "Larson core threads=16 seconds=3 :: RESULT throughput=4.0e+07 unit=ops/s peakRssBytes=230686720 rssEndBytes=1",
            "Larson core threads=16 seconds=3 :: RESULT throughput=6.0e+07 unit=ops/s peakRssBytes=251658240 rssEndBytes=1",
            "== jmh");
    private static final List<String> JMH = List.of(
            "config,benchmark,mode,threads,samples,score,error,unit,impl,size",
            "glibc,\"dev.emma.bench.jmh.PairBenchmark.pair1\",\"thrpt\",16,3,300.0,1,\"ops/us\",unsafe,64",
            "glibc,\"dev.emma.bench.jmh.PairBenchmark.pair1\",\"thrpt\",16,3,400.0,1,\"ops/us\",emma,64",
            "jemalloc,\"dev.emma.bench.jmh.PairBenchmark.pair1\",\"thrpt\",16,3,320.0,1,\"ops/us\",unsafe,64",
            "agent,\"dev.emma.bench.jmh.PairBenchmark.pair1\",\"thrpt\",16,3,360.0,1,\"ops/us\",unsafe,64",
            "passthrough,\"dev.emma.bench.jmh.PairBenchmark.pair1\",\"thrpt\",16,3,270.0,1,\"ops/us\",unsafe,64",
            "glibc,\"dev.emma.bench.jmh.ProducerConsumerBenchmark.handoff\",\"thrpt\",2,3,10.0,1,\"ops/us\",unsafe,64",
            "glibc,\"dev.emma.bench.jmh.ProducerConsumerBenchmark.handoff:consumer\",\"thrpt\",2,3,5.0,1,\"ops/us\",unsafe,64",
            "glibc,\"dev.emma.bench.jmh.ProducerConsumerBenchmark.handoff\",\"thrpt\",2,3,20.0,1,\"ops/us\",emma,64");

    @Test
    void pairsCarryTheRatiosTheTargetsName() {
        String md = ManyCoresReport.read(RESULTS, JMH).markdown();
        // agent / core 360/400, passthrough / no agent 270/300, core / best native 400/320
        assertTrue(md.contains("| 64 B | 16 | 300.0 | 320.0 | — | 270.0 | 360.0 | 400.0 | 0.90× | 0.90× | 1.25× |"), md);
        assertTrue(md.contains("Machine: 16; model name\t: Some CPU"), md);
    }

    @Test
    void producerConsumerReadsTheWholeHandoffNotItsParts() {
        String md = ManyCoresReport.read(RESULTS, JMH).markdown();
        assertTrue(md.contains("| 64 B | 10.0 | — | — | — | 20.0 | 2.00× |"), md);
    }

    @Test
    void workloadsTakeTheMedianOfTheRoundsAndCompareRssWithTheLowerOfGlibcAndJemalloc() {
        String md = ManyCoresReport.read(RESULTS, JMH).markdown();
        // core: median throughput 5e7 (of 4e7, 6e7), median peak 230 MiB (of 220, 240); best native 5e7; min RSS 200 MiB
        assertTrue(md.contains("| Larson threads=16 | 40,000,000 / 300 | 30,000,000 / 200 | 50,000,000 / 400 | — | 50,000,000 / 230 | 1.00× | 1.15× |"), md);
        assertTrue(md.contains("- churn core wave=16: ok=30 failed=0"), md);
    }
}
