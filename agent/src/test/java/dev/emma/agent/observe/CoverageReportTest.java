package dev.emma.agent.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoverageReportTest {

    private static final long MIB = 1 << 20;
    private static final List<String> OPTIONS = List.of("mode=emma", "linker=known", "sites=5");

    /** Emma served 96 MiB; 4 MiB stayed native: 1 before activation, 2 uncovered Linker, 1 fallbacks. */
    private static AllocatorReading emma() {
        return new AllocatorReading("emma", 0.96, 96 * MIB, 4 * MIB, MIB, 2 * MIB, 40 * MIB, 1024, 64 * MIB, 48 * MIB, 16 * MIB, 0,
                12_000, 5, 11_000, 12, 3, 0, 100, 32 * MIB, 2, 0, 4, 3 * MIB, 11_000, 5 * MIB, 890, 4096);
    }

    @Test
    void saysWhatEmmaServedWhatStayedNativeAndWhy() {
        List<String> lines = CoverageReport.text(emma(), OPTIONS, "at exit").lines().toList();

        assertEquals("emma-agent: coverage report (mode=emma, at exit)", lines.getFirst());
        assertEquals(CoverageReport.LAST_LINE, lines.getLast());
        assertLine(lines, "  served by Emma", "96.0 MiB", "EmmaBytes");
        assertLine(lines, "  stayed native", "4.0 MiB", "NativeBytes, of which:");
        assertLine(lines, "    before activation", "1.0 MiB", "(NativeBytesBeforeActivation)");
        assertLine(lines, "    route not covered", "2.0 MiB", "(UncoveredBytes)");
        assertLine(lines, "    fallbacks and others", "1.0 MiB", "3 allocations Emma could not serve (Fallbacks)");
        assertLine(lines, "  Emma's share", "96.0%", "EmmaShare");
    }

    @Test
    void saysWhatIsLivePerRouteTheJdksOwnApartAndTheMemoryAndConfiguration() {
        String text = CoverageReport.text(emma(), OPTIONS, "at exit");
        List<String> lines = text.lines().toList();

        assertTrue(lines.contains("Allocations since activation: 12,000 (TotalAllocations)"), text);
        assertLine(lines, "  application", "11,106", "direct 100, ffm 2, linker 4, unsafe 11,000");
        assertLine(lines, "  JDK-internal", "890", "4.0 KiB: the JDK's own use");
        assertLine(lines, "  frees", "11,000", "foreign 12 (to the native allocator), failed 0; reallocations 5");
        assertTrue(lines.contains("Live now: 40.0 MiB in 1,024 blocks (LiveBytes, LiveAllocations)"), text);
        assertLine(lines, "  direct buffers", "32.0 MiB", "DirectBufferLiveBytes (exact)");
        assertLine(lines, "  Linker", "3.0 MiB", "LinkerLiveBytes (estimated)");
        assertLine(lines, "  Unsafe and JDK-internal", "5.0 MiB", "UnsafeLiveBytes");
        assertTrue(lines.contains("Emma's memory: mapped 64.0 MiB, resident 48.0 MiB (75% of mapped) (MappedBytes, ResidentBytes)"), text);
        assertTrue(lines.contains("Configuration: mode=emma linker=known sites=5"), text);
    }

    @Test
    void inPassthroughEverythingStayedNativeByDesignAndEmmaHasNoMemory() {
        AllocatorReading passthrough = new AllocatorReading("passthrough", 0, 0, 10 * MIB, MIB, 0, 8 * MIB, 100, 0, 0, 0, 0,
                200, 0, 100, 0, 0, 0, 100, 8 * MIB, 0, 0, 0, 0, 0, 0, 100, 9 * MIB);

        List<String> lines = CoverageReport.text(passthrough, List.of("mode=passthrough"), "at exit").lines().toList();

        assertLine(lines, "  served by Emma", "0 B", "passthrough: the native allocator serves everything");
        assertLine(lines, "  stayed native", "10.0 MiB", "NativeBytes (estimated), of which:");
        assertLine(lines, "    routed and counted", "9.0 MiB", "served natively by design (passthrough)");
        assertTrue(lines.contains("Emma's memory: none (passthrough)"), lines.toString());
    }

    /** A row: its label, its value right-aligned, then a note that says {@code note}. */
    private static void assertLine(List<String> lines, String label, String value, String note) {
        String line = lines.stream().filter(l -> l.startsWith(label + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + label + "' in\n" + String.join("\n", lines)));
        String rest = line.substring(label.length()).strip();
        assertTrue(rest.startsWith(value + "  ") && rest.substring(value.length()).contains(note), line);
    }
}
