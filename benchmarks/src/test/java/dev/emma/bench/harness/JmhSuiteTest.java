package dev.emma.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JmhSuiteTest {

    @Test
    void theFullRunMeasuresAllocateDirectApartWithLongIterationsInItsOwnFile() {
        List<JmhSuite.Plan> plans = JmhSuite.Plan.full();
        assertEquals(2, plans.size());
        JmhSuite.Plan main = plans.get(0);
        JmhSuite.Plan direct = plans.get(1);
        assertFalse(main.commandLine().contains("DirectBufferBenchmark"), main.commandLine().toString());
        assertEquals("", main.part()); // the allocator benchmarks keep the configuration's own results file
        List<String> line = direct.commandLine();
        assertEquals("DirectBufferBenchmark", line.getFirst());
        assertEquals("3", line.get(line.indexOf("-wi") + 1));
        assertEquals("1s", line.get(line.indexOf("-w") + 1));
        assertEquals("1s", line.get(line.indexOf("-r") + 1));
        assertTrue(!direct.part().isEmpty() && !direct.part().equals(main.part()), "a results file of its own");
    }
}
