package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.SitesApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Allocation sites, the JFR allocation samples and the coverage report, as a user sees them: a
 * child JVM that allocates most of its direct bytes from one method ({@link SitesApp}).
 */
class SitesIT {

    private static final String HOG = SitesApp.class.getName() + ".hog(SitesApp.java:";

    @Test
    void theHogIsTheTopSiteInTheMBeanTheExitReportAndTheJfrSamples() throws Exception {
        Path recording = ChildJvm.scratch("sites").resolve("sites.jfr");
        ChildResult result = ChildJvm.of(SitesApp.class).withAgent("mode=emma,summary,sites=5")
                .jvm("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                        "-XX:StartFlightRecording:filename=" + recording)
                .run().assertExit(0);

        // the MBean operation, as the application read it
        List<String> top = result.stdoutLines().stream().filter(l -> !l.contains("[jfr,startup]")).toList();
        assertTrue(top.getFirst().startsWith("top 5 allocation sites by live off-heap bytes"), result::describe);
        assertTrue(top.get(2).matches(" *16\\.0 MiB +16\\.0 MiB +direct +0% +" + quote(HOG) + ".*"), result::describe);
        assertTrue(top.stream().anyMatch(l -> l.matches(" *2\\.0 MiB +2\\.0 MiB +ffm +0% +.*SitesApp\\.arena\\(.*")), result::describe);
        assertTrue(top.stream().anyMatch(l -> l.matches(" *1\\.0 MiB +1\\.0 MiB +unsafe +0% +.*SitesApp\\.unsafe\\(.*")), result::describe);
        assertFalse(String.join("\n", top).contains("dev.emma.agent."), "no frame of the agent is a site");

        // at exit: the coverage report, then the same sites
        List<String> stderr = result.stderrLines();
        List<String> coverage = block(stderr, "emma-agent: coverage report (mode=emma, at exit)", "emma-agent: end of coverage report");
        assertTrue(coverage.stream().anyMatch(l -> l.matches("  served by Emma +[0-9.]+ MiB +EmmaBytes")), coverage::toString);
        assertTrue(coverage.stream().anyMatch(l -> l.startsWith("    route not covered ")), coverage::toString);
        assertTrue(coverage.stream().anyMatch(l -> l.matches("  direct buffers +[0-9.]+ MiB +DirectBufferLiveBytes \\(exact\\)")), coverage::toString);
        assertTrue(coverage.stream().anyMatch(l -> l.startsWith("Emma's memory: mapped ")), coverage::toString);
        assertTrue(coverage.stream().anyMatch(l -> l.startsWith("Configuration: mode=emma linker=known stats=off summary=true sites=5"
                + " strict=false checks=false purgeDelay=")), coverage::toString);
        List<String> sites = block(stderr, "emma-agent: top 5 allocation sites by live off-heap bytes", "emma-agent: end of allocation sites");
        assertTrue(sites.get(2).contains(HOG), sites::toString);

        // JFR: samples with their stack trace, the hog's among them
        List<RecordedEvent> samples = RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("dev.emma.AllocationSample")).toList();
        List<RecordedEvent> hog = samples.stream().filter(e -> e.getString("site").startsWith(HOG)).toList();
        assertTrue(hog.size() >= SitesApp.HOG_BUFFERS / 2, hog.size() + " of " + samples.size() + " samples at the hog");
        RecordedEvent one = hog.getFirst();
        assertEquals("direct", one.getString("route"));
        assertEquals("emma", one.getString("allocator"));
        assertEquals(SitesApp.BLOCK, one.getLong("size"));
        assertTrue(one.getLong("weight") >= one.getLong("size"));
        List<String> frames = one.getStackTrace().getFrames().stream()
                .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName()).toList();
        assertTrue(frames.contains(SitesApp.class.getName() + ".hog") && frames.contains("java.nio.ByteBuffer.allocateDirect"),
                frames::toString);
        assertTrue(samples.stream().anyMatch(e -> e.getString("route").equals("ffm")), "an arena's block sampled as ffm");
    }

    @Test
    void passthroughSitesAreNativeAndWithoutSummaryThereIsNoCoverageReport() throws Exception {
        ChildResult result = ChildJvm.of(SitesApp.class).withAgent("mode=passthrough,sites=3")
                .jvm("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                .run().assertExit(0);

        List<String> sites = block(result.stderrLines(), "emma-agent: top 3 allocation sites", "emma-agent: end of allocation sites");
        assertTrue(sites.get(2).matches(" *16\\.0 MiB +16\\.0 MiB +direct +100% +" + quote(HOG) + ".*"), sites::toString);
        assertEquals(3 + 2 + 1, sites.size(), "a title, a header and 3 rows:\n" + String.join("\n", sites));
        assertTrue(result.stderrLines().stream().noneMatch(l -> l.contains("coverage report")), result::describe);
    }

    /** The lines of a block of the agent's log: from the line that contains {@code first} to the one that is {@code last}. */
    private static List<String> block(List<String> lines, String first, String last) {
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (start < 0 && lines.get(i).contains(first)) {
                start = i;
            } else if (start >= 0 && lines.get(i).equals(last)) {
                return lines.subList(start, i + 1);
            }
        }
        throw new AssertionError("no block from '" + first + "' to '" + last + "' in:\n" + String.join("\n", lines));
    }

    private static String quote(String text) {
        return java.util.regex.Pattern.quote(text);
    }
}
