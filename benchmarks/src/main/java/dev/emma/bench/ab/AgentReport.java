package dev.emma.bench.ab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent printed at exit in one run's stderr log: its coverage report ({@code summary}) and
 * its top allocation sites ({@code sites=N}). Each is a block of lines between fixed first words and
 * a fixed last line (the agent's {@code CoverageReport} and {@code StatsLog}), so it is found whatever
 * the logging backend writes around it (java.util.logging's header line, its {@code INFO: } prefix).
 *
 * @param coverage the coverage report's lines, the first one from {@code emma-agent:} on; empty when absent
 * @param sites    the top sites' lines likewise; empty when absent
 */
public record AgentReport(List<String> coverage, List<String> sites) {

    static final String COVERAGE_FIRST = "emma-agent: coverage report";
    static final String COVERAGE_LAST = "emma-agent: end of coverage report";
    static final String SITES_FIRST = "emma-agent: top ";
    static final String SITES_LAST = "emma-agent: end of allocation sites";

    static final AgentReport NONE = new AgentReport(List.of(), List.of());

    /** The last complete blocks of {@code log}; {@link #NONE} when it cannot be read. */
    static AgentReport read(Path log) {
        try {
            return of(Files.readAllLines(log));
        } catch (IOException | RuntimeException e) {
            return NONE; // a missing or unreadable log: the run says so elsewhere
        }
    }

    static AgentReport of(List<String> lines) {
        return new AgentReport(block(lines, COVERAGE_FIRST, COVERAGE_LAST), block(lines, SITES_FIRST, SITES_LAST));
    }

    /** The last block from a line containing {@code first} to the line {@code last}, both kept; empty if none is complete. */
    private static List<String> block(List<String> lines, String first, String last) {
        List<String> found = List.of();
        List<String> current = null;
        for (String line : lines) {
            int start = line.indexOf(first);
            if (start >= 0) { // a block starts (again: a block cut short by another is dropped)
                current = new ArrayList<>(List.of(line.substring(start)));
            } else if (current != null) {
                current.add(line);
                if (line.strip().equals(last)) {
                    found = List.copyOf(current);
                    current = null;
                }
            }
        }
        return found;
    }

    public boolean hasCoverage() {
        return !coverage.isEmpty();
    }

    public boolean hasSites() {
        return !sites.isEmpty();
    }
}
