package dev.emma.agent.observe;

import java.util.function.Supplier;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** The JFR periodic event {@code dev.emma.Allocator}: the MBean's numbers, once a second by default. */
@Name(AllocatorEvent.NAME)
@Label("Emma Allocator")
@Category("Emma")
@Description("Off-heap memory routed by emma-agent")
@Period("1 s")
@StackTrace(false)
public final class AllocatorEvent extends Event {

    public static final String NAME = "dev.emma.Allocator";

    @Label("Mode")
    String mode;
    @Label("Live Bytes") @DataAmount
    long liveBytes;
    @Label("Live Allocations")
    long liveAllocations;
    @Label("Mapped Bytes") @DataAmount
    long mappedBytes;
    @Label("Resident Bytes") @DataAmount
    long residentBytes;
    @Label("Total Allocations")
    long totalAllocations;
    @Label("Total Reallocations")
    long totalReallocations;
    @Label("Total Frees")
    long totalFrees;
    @Label("Foreign Frees")
    long foreignFrees;
    @Label("Direct Buffer Allocations")
    long directBufferAllocations;
    @Label("Unsafe Allocations")
    long unsafeAllocations;
    @Label("FFM Allocations")
    long ffmAllocations;
    @Label("Fallbacks")
    long fallbacks;

    /**
     * Makes the event periodic (JFR calls the hook at the period a recording asks for) once JFR
     * starts, now if it runs already: registering it earlier would start JFR's machinery (some
     * 170 classes) in every JVM, recording or not.
     */
    public static void register(Supplier<AllocatorReading> source) {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                FlightRecorder.addPeriodicEvent(AllocatorEvent.class, () -> emit(source.get()));
            }
        });
    }

    private static void emit(AllocatorReading reading) {
        AllocatorEvent event = new AllocatorEvent();
        event.mode = reading.mode();
        event.liveBytes = reading.liveBytes();
        event.liveAllocations = reading.liveAllocations();
        event.mappedBytes = reading.mappedBytes();
        event.residentBytes = reading.residentBytes();
        event.totalAllocations = reading.totalAllocations();
        event.totalReallocations = reading.totalReallocations();
        event.totalFrees = reading.totalFrees();
        event.foreignFrees = reading.foreignFrees();
        event.directBufferAllocations = reading.directBufferAllocations();
        event.unsafeAllocations = reading.unsafeAllocations();
        event.ffmAllocations = reading.ffmAllocations();
        event.fallbacks = reading.fallbacks();
        event.commit();
    }
}
