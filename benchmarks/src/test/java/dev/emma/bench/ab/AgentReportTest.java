package dev.emma.bench.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentReportTest {

    /** A service's stderr as java.util.logging writes the agent's exit records, among the service's own lines. */
    static final List<String> LOG = List.of(
            "service: listening",
            "Nov 27, 2026 4:18:01 PM dev.emma.agent",
            "INFO: emma-agent: coverage report (mode=emma, at exit)",
            "  served by Emma                21.0 MiB  EmmaBytes",
            "Configuration: mode=emma summary=true sites=2",
            "emma-agent: end of coverage report",
            "service: bye",
            "Nov 27, 2026 4:18:01 PM dev.emma.agent",
            "INFO: emma-agent: top 2 allocation sites by live off-heap bytes (estimates from 84 samples)",
            "      live   allocated  route   native  site",
            "  16.0 MiB    16.0 MiB  direct      0%  com.example.Pool.grow(Pool.java:43)",
            "emma-agent: end of allocation sites");

    @Test
    void findsBothBlocksWhateverSurroundsThem() {
        AgentReport report = AgentReport.of(LOG);

        assertEquals(List.of("emma-agent: coverage report (mode=emma, at exit)", "  served by Emma                21.0 MiB  EmmaBytes",
                "Configuration: mode=emma summary=true sites=2", "emma-agent: end of coverage report"), report.coverage());
        assertEquals(4, report.sites().size());
        assertEquals("emma-agent: top 2 allocation sites by live off-heap bytes (estimates from 84 samples)", report.sites().getFirst());
        assertTrue(report.sites().get(2).endsWith("com.example.Pool.grow(Pool.java:43)"));
    }

    @Test
    void aBlockCutShortIsNotABlock() {
        AgentReport report = AgentReport.of(LOG.subList(0, 5)); // killed while logging

        assertFalse(report.hasCoverage());
        assertFalse(report.hasSites());
        assertEquals(AgentReport.NONE, AgentReport.read(Path.of("/no/such/run.log")));
    }
}
