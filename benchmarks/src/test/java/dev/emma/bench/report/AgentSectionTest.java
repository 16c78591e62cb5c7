package dev.emma.bench.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.bench.harness.AgentSuite;
import dev.emma.bench.harness.AllocatorConfig;
import dev.emma.bench.harness.ChildJvm;
import dev.emma.bench.harness.JmhRow;
import dev.emma.bench.harness.RunRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSectionTest {

    private static JmhRow row(String config, String benchmark, long size, int threads, double score) {
        return new JmhRow(config, benchmark, size, threads, score, 0.1, "ops/us");
    }

    private static RunRecord run(String workload, String arm, int round, Map<String, String> result) {
        return new RunRecord(workload, arm, round, new ChildJvm.Outcome(result, List.of(), Map.of(), 0, null));
    }

    @Test
    void theArmsSideBySideWithTheTwoTargetRatios() {
        List<JmhRow> jmh = List.of(
                row(AgentSuite.NONE, "PairBenchmark.pair1", 64, 1, 40), row(AllocatorConfig.EMMA_CORE, "PairBenchmark.pair1", 64, 1, 60),
                row(AllocatorConfig.EMMA_CALL, "PairBenchmark.pair1", 64, 1, 50),
                row(AgentSuite.PASSTHROUGH, "PairBenchmark.pair1", 64, 1, 38), row(AgentSuite.EMMA, "PairBenchmark.pair1", 64, 1, 57),
                row(AgentSuite.NONE_LINKER, "LinkerBenchmark.mallocFree", 64, 1, 20), row(AgentSuite.EMMA_LINKER_ALL, "LinkerBenchmark.mallocFree", 64, 1, 17));
        List<RunRecord> runs = List.of(
                run(AgentSuite.DEMO, AgentSuite.NONE, 1, Map.of("peakRssBytes", "" + (700L << 20), "rssAfterIdleBytes", "" + (300L << 20), "throughput", "1000")),
                run(AgentSuite.DEMO, AgentSuite.PASSTHROUGH, 1, Map.of("peakRssBytes", "" + (770L << 20), "rssAfterIdleBytes", "" + (300L << 20), "throughput", "900")),
                run(AgentSuite.IDLE, AgentSuite.NONE, 1, Map.of("rssIdleBytes", "" + (40L << 20))),
                run(AgentSuite.IDLE, AgentSuite.PASSTHROUGH, 1, Map.of("rssIdleBytes", "" + (50L << 20))));
        String md = AgentSection.render(new AgentSuite.Results(jmh, runs));
        assertTrue(md.contains("| pair | 64 B | 1 | 40.0 | 38.0 | 57.0 | 60.0 | 50.0 | **0.95** | **0.95** | **1.14** |"), md);
        assertTrue(md.contains("| 64 B | 20.0 | 17.0 | **0.85** |"), md);
        assertTrue(md.contains("| demo: peak RSS (MiB) | 700 | 770 | **1.10×** |"), md);
        assertTrue(md.contains("| idle JVM: RSS (MiB) | 40 | 50 | **1.25×** |"), md);
    }

    @Test
    void theControlArmIsAlsoComparedWithAnEmptyAgent() {
        List<RunRecord> runs = List.of(
                run(AgentSuite.DEMO, AgentSuite.PASSTHROUGH, 1, Map.of("peakRssBytes", "" + (770L << 20), "rssAfterIdleBytes", "" + (500L << 20), "throughput", "900")),
                run(AgentSuite.DEMO, AgentSuite.EMPTY, 1, Map.of("peakRssBytes", "" + (700L << 20), "rssAfterIdleBytes", "" + (400L << 20), "throughput", "1000")),
                run(AgentSuite.DEMO, AgentSuite.NONE, 1, Map.of("peakRssBytes", "" + (700L << 20), "rssAfterIdleBytes", "" + (250L << 20), "throughput", "1000")));
        String md = AgentSection.render(new AgentSuite.Results(List.of(), runs));
        assertTrue(md.contains("| figure | no agent | empty agent | passthrough | empty agent / no agent | passthrough / no agent | passthrough / empty agent |"), md);
        assertTrue(md.contains("| demo: RSS after idle (MiB) | 250 | 400 | 500 | **1.60×** | **2.00×** | **1.25×** |"), md);
    }
}
