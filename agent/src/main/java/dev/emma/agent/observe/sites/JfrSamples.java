package dev.emma.agent.observe.sites;

import java.util.function.Consumer;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;

/**
 * The JFR side of sampling: tells {@link Sampling} whether a running recording enables
 * {@code dev.emma.AllocationSample}, and writes the events. Apart from the rest so that nothing of
 * {@code jdk.jfr} is loaded unless JFR starts (and a runtime image without it still has sites).
 */
final class JfrSamples {

    private JfrSamples() {
    }

    /**
     * Calls {@code enabled} with the event's state each time a recording starts or stops. Registers
     * nothing until JFR initialises, so that a JVM that never records does not start JFR.
     */
    static void watch(Consumer<Boolean> enabled) {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                FlightRecorder.register(AllocationSampleEvent.class);
                enabled.accept(isEnabled());
            }

            @Override
            public void recordingStateChanged(Recording recording) {
                enabled.accept(isEnabled());
            }
        });
    }

    /** Whether a running recording enables the event; loads the event class here, not in an allocation. */
    private static boolean isEnabled() {
        boolean on = EventType.getEventType(AllocationSampleEvent.class).isEnabled();
        new AllocationSampleEvent().shouldCommit();
        return on;
    }

    static void emit(long size, long weight, String route, boolean emma, Site site) {
        AllocationSampleEvent event = new AllocationSampleEvent();
        if (event.shouldCommit()) {
            event.size = size;
            event.weight = weight;
            event.route = route;
            event.allocator = emma ? "emma" : "native";
            event.site = site.describe();
            event.commit();
        }
    }
}
