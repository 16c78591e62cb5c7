package dev.emma.it.app;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** The MBean and the JFR event agree with each other and with what this scenario allocated. */
final class ObservabilityScenario {

    static final int BUFFERS = 64;
    static final int BUFFER_SIZE = 8192;

    private ObservabilityScenario() {
    }

    static void run(boolean emma) throws Exception {
        long directBefore = AgentProbe.attribute("DirectBufferAllocations");
        long totalBefore = AgentProbe.attribute("TotalAllocations");
        List<ByteBuffer> kept = new ArrayList<>();
        for (int i = 0; i < BUFFERS; i++) {
            kept.add(ByteBuffer.allocateDirect(BUFFER_SIZE));
        }
        // Buffers of earlier scenarios may still be freed by the Cleaner meanwhile: absolute bounds.
        Check.that(AgentProbe.attribute("DirectBufferLiveBytes") >= (long) BUFFERS * BUFFER_SIZE, "DirectBufferLiveBytes below the live buffers' size");
        Check.that(AgentProbe.attribute("DirectBufferAllocations") - directBefore >= BUFFERS, "DirectBufferAllocations did not count them");
        if (emma) {
            // exact in emma mode; passthrough estimates them from a sample (see the agent README)
            Check.that(AgentProbe.attribute("LiveAllocations") >= BUFFERS, "LiveAllocations below the " + BUFFERS + " live buffers");
            Check.that(AgentProbe.attribute("LiveBytes") >= (long) BUFFERS * BUFFER_SIZE, "LiveBytes below the live buffers' size");
            Check.that(AgentProbe.attribute("TotalAllocations") - totalBefore >= BUFFERS, "TotalAllocations did not count them");
            Check.that(AgentProbe.attribute("MappedBytes") >= AgentProbe.attribute("LiveBytes"), "MappedBytes < LiveBytes");
            Check.that(AgentProbe.attribute("ResidentBytes") > 0, "ResidentBytes is 0 with live blocks written to");
        }

        RecordedEvent last = lastEvent();
        long direct = AgentProbe.attribute("DirectBufferAllocations");
        Check.that(last.getString("mode").equals(AgentProbe.mode()), "event mode " + last.getString("mode"));
        long eventDirect = last.getLong("directBufferAllocations");
        Check.that(eventDirect >= directBefore + BUFFERS && eventDirect <= direct,
                "event directBufferAllocations " + eventDirect + " outside [" + (directBefore + BUFFERS) + ", " + direct + "]");
        Check.that(last.getLong("directBufferLiveBytes") >= (long) BUFFERS * BUFFER_SIZE,
                "event directBufferLiveBytes " + last.getLong("directBufferLiveBytes"));
        if (emma) {
            Check.that(last.getLong("liveAllocations") >= BUFFERS, "event liveAllocations " + last.getLong("liveAllocations"));
            Check.that(last.getLong("liveBytes") >= (long) BUFFERS * BUFFER_SIZE, "event liveBytes " + last.getLong("liveBytes"));
            Check.that(last.getLong("totalAllocations") >= last.getLong("directBufferAllocations"), "event totalAllocations < direct");
            Check.that(last.getLong("totalAllocations") <= AgentProbe.attribute("TotalAllocations"), "event ahead of the MBean");
        }
        kept.forEach(Memory::free);
    }

    private static RecordedEvent lastEvent() throws Exception {
        Path file = Files.createTempFile("emma-it", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.emma.Allocator").withPeriod(Duration.ofMillis(100));
            recording.start();
            // JFR's periodic thread may first wait out a period of another recording (1 s by default)
            Thread.sleep(1200);
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.emma.Allocator")).toList();
        Files.delete(file);
        Check.that(!events.isEmpty(), "no dev.emma.Allocator event in a 1.2 s recording");
        return events.get(events.size() - 1);
    }
}
