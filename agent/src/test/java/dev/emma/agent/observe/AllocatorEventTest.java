package dev.emma.agent.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** The JFR event dev.emma.Allocator records every attribute of the table, with the reading's values. */
class AllocatorEventTest {

    private static final AllocatorReading READING = new AllocatorReading("emma", 0.75, 300, 100, 40, 10, 5000, 7, 8192, 4096,
            2048, 9, 20, 1, 13, 2, 3, 11, 4, 1000, 5, 500, 6, 600, 7, 700, 8, 800);

    @Test
    void theEventHasAFieldForEveryAttribute() {
        Set<String> fields = Arrays.stream(AllocatorEvent.class.getDeclaredFields())
                .map(f -> f.getName().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<String> missing = Arrays.stream(Attribute.values()).map(a -> a.attributeName)
                .filter(n -> !fields.contains(n.toLowerCase(Locale.ROOT))).toList();
        assertEquals(List.of(), missing, "attributes the JFR event dev.emma.Allocator does not record");
    }

    @Test
    void aRecordedEventCarriesEveryAttributesValue() throws Exception {
        Path file = Files.createTempFile("allocator-event", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable(AllocatorEvent.NAME);
            recording.start();
            AllocatorEvent.emit(READING);
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals(AllocatorEvent.NAME)).toList();
            assertEquals(1, events.size());
            RecordedEvent event = events.getFirst();
            assertEquals("emma", event.getString("mode"));
            for (Attribute attribute : Attribute.values()) {
                String field = Character.toLowerCase(attribute.attributeName.charAt(0)) + attribute.attributeName.substring(1);
                Object expected = attribute.value.apply(READING);
                Object recorded = expected instanceof Double ? (Object) event.getDouble(field) : (Object) event.getLong(field);
                assertEquals(expected, recorded, attribute.attributeName);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
