package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.JfrLaterApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * JFR started long after the agent ({@code jcmd JFR.start}): the agent registered nothing of JFR at
 * start-up (that would load {@code jdk.jfr} in every JVM), yet its events are in the recording.
 */
class JfrStartedLaterIT {

    @Test
    void aRecordingStartedWithJcmdHasTheAllocatorEventAndTheAllocationSamples() throws Exception {
        Path recording = ChildJvm.scratch("jfr-later").resolve("later.jfr");
        ChildResult result = ChildJvm.of(JfrLaterApp.class, recording.toString()).withAgent("mode=emma")
                .jvm("--enable-native-access=ALL-UNNAMED").run().assertExit(0);
        assertEquals(List.of("PASS " + JfrLaterApp.BUFFERS + " buffers"), result.stdoutLines(), result::describe);

        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        List<RecordedEvent> allocator = events.stream().filter(e -> e.getEventType().getName().equals("dev.emma.Allocator")).toList();
        assertTrue(!allocator.isEmpty(), "no dev.emma.Allocator event in the recording");
        RecordedEvent last = allocator.getLast();
        assertEquals("emma", last.getString("mode"));
        assertTrue(last.getLong("directBufferAllocations") >= JfrLaterApp.BUFFERS, last::toString);
        assertTrue(last.getLong("liveBytes") >= (long) JfrLaterApp.BUFFERS * JfrLaterApp.BLOCK, last::toString);

        String site = JfrLaterApp.class.getName() + ".allocate(";
        long samples = events.stream().filter(e -> e.getEventType().getName().equals("dev.emma.AllocationSample")
                && e.getString("site").startsWith(site)).count();
        assertTrue(samples >= JfrLaterApp.BUFFERS / 2, samples + " allocation samples at " + site);
    }
}
