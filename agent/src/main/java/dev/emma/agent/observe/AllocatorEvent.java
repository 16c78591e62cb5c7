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
import jdk.jfr.Percentage;
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
    @Label("Emma Share") @Description("Share of Java-level off-heap bytes allocated since start that Emma served") @Percentage
    double emmaShare;
    @Label("Emma Bytes") @DataAmount
    long emmaBytes;
    @Label("Native Bytes") @DataAmount
    long nativeBytes;
    @Label("Live Bytes") @DataAmount
    long liveBytes;
    @Label("Live Allocations")
    long liveAllocations;
    @Label("Mapped Bytes") @DataAmount
    long mappedBytes;
    @Label("Resident Bytes") @DataAmount
    long residentBytes;
    @Label("Returned Bytes") @DataAmount
    long returnedBytes;
    @Label("Return Failures")
    long returnFailures;
    @Label("Total Allocations")
    long totalAllocations;
    @Label("Total Reallocations")
    long totalReallocations;
    @Label("Total Frees")
    long totalFrees;
    @Label("Foreign Frees")
    long foreignFrees;
    @Label("Fallbacks")
    long fallbacks;
    @Label("Direct Buffer Allocations")
    long directBufferAllocations;
    @Label("Direct Buffer Live Bytes") @DataAmount
    long directBufferLiveBytes;
    @Label("FFM Allocations")
    long ffmAllocations;
    @Label("FFM Live Bytes") @DataAmount
    long ffmLiveBytes;
    @Label("Linker Allocations")
    long linkerAllocations;
    @Label("Linker Live Bytes") @DataAmount
    long linkerLiveBytes;
    @Label("Unsafe Allocations")
    long unsafeAllocations;
    @Label("Unsafe Live Bytes") @DataAmount
    long unsafeLiveBytes;
    @Label("JDK Internal Allocations")
    long jdkInternalAllocations;
    @Label("JDK Internal Bytes") @DataAmount
    long jdkInternalBytes;

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
        event.emmaShare = reading.emmaShare();
        event.emmaBytes = reading.emmaBytes();
        event.nativeBytes = reading.nativeBytes();
        event.liveBytes = reading.liveBytes();
        event.liveAllocations = reading.liveAllocations();
        event.mappedBytes = reading.mappedBytes();
        event.residentBytes = reading.residentBytes();
        event.returnedBytes = reading.returnedBytes();
        event.returnFailures = reading.returnFailures();
        event.totalAllocations = reading.totalAllocations();
        event.totalReallocations = reading.totalReallocations();
        event.totalFrees = reading.totalFrees();
        event.foreignFrees = reading.foreignFrees();
        event.fallbacks = reading.fallbacks();
        event.directBufferAllocations = reading.directBufferAllocations();
        event.directBufferLiveBytes = reading.directBufferLiveBytes();
        event.ffmAllocations = reading.ffmAllocations();
        event.ffmLiveBytes = reading.ffmLiveBytes();
        event.linkerAllocations = reading.linkerAllocations();
        event.linkerLiveBytes = reading.linkerLiveBytes();
        event.unsafeAllocations = reading.unsafeAllocations();
        event.unsafeLiveBytes = reading.unsafeLiveBytes();
        event.jdkInternalAllocations = reading.jdkInternalAllocations();
        event.jdkInternalBytes = reading.jdkInternalBytes();
        event.commit();
    }
}
