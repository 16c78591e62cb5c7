package dev.emma.bench.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.bench.harness.AllocatorConfig;
import dev.emma.bench.harness.JmhRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoreTargetsTest {

    private static JmhRow row(String config, String benchmark, long size, double score) {
        return new JmhRow(config, benchmark, size, 1, score, 0.1, "ops/us");
    }

    @Test
    void eachTargetIsJudgedAgainstTheBestOfItsAllocators() {
        List<JmhRow> rows = List.of(
                row(AllocatorConfig.GLIBC, "PairBenchmark.pair1", 64, 40), row("jemalloc", "PairBenchmark.pair1", 64, 50),
                row("mimalloc", "PairBenchmark.pair1", 64, 45), row(AllocatorConfig.EMMA_CORE, "PairBenchmark.pair1", 64, 70),
                row(AllocatorConfig.GLIBC, "ReallocBenchmark.growMany", 0, 100), row("mimalloc", "ReallocBenchmark.growMany", 0, 900),
                row(AllocatorConfig.EMMA_CORE, "ReallocBenchmark.growMany", 0, 200));
        String md = new CoreTargets(new JmhTable(rows, List.of()), null).markdown();
        // 70 / 50 = 1.40 against the best native (jemalloc), under the 1.5x target.
        assertTrue(md.contains("| allocate+free pair, 1 thread, 64 B | ≥ 1.5× best native | 70.0 (1.40×) | jemalloc 50.0 | **not met** |"), md);
        // Realloc growth is judged against glibc only, and a size-less row carries no size.
        assertTrue(md.contains("| realloc, 256 buffers grown 16 B → 32 KiB (per step) | ≥ glibc | 200 (2.00×) | glibc 100 | met |"), md);
        assertFalse(md.contains(", —"), md);
    }
}
