package dev.emma.agent.observe;

import dev.emma.agent.log.AgentLog;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
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
    @Label("Native Bytes Before Activation") @DataAmount
    long nativeBytesBeforeActivation;
    @Label("Uncovered Bytes") @DataAmount
    long uncoveredBytes;
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
    @Label("Failed Frees")
    long failedFrees;
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
                FlightRecorder.addPeriodicEvent(AllocatorEvent.class, () -> emit(source));
            }
        });
    }

    /**
     * The event's field for each attribute, by the attribute's name (EmmaShare: emmaShare): the
     * values come from {@link Attribute}'s table, so an attribute added there without a field here
     * fails when the class loads (and in AllocatorEventTest), never silently missing from recordings.
     */
    private static final Field[] FIELDS = fields();
    private static final AtomicBoolean FAILURE_LOGGED = new AtomicBoolean();

    private static Field[] fields() {
        Attribute[] attributes = Attribute.values();
        Field[] fields = new Field[attributes.length];
        for (int i = 0; i < attributes.length; i++) {
            String name = attributes[i].attributeName;
            try {
                fields[i] = AllocatorEvent.class.getDeclaredField(Character.toLowerCase(name.charAt(0)) + name.substring(1));
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("the JFR event " + NAME + " has no field for the attribute " + name, e);
            }
        }
        return fields;
    }

    /** A failed reading is logged once and the period skipped: JFR would print the exception on stdout. */
    private static void emit(Supplier<AllocatorReading> source) {
        try {
            emit(source.get());
        } catch (RuntimeException | Error e) {
            if (FAILURE_LOGGED.compareAndSet(false, true)) {
                AgentLog.warning("emma-agent: the JFR event " + NAME + " could not be read; later failures are not logged", e);
            }
        }
    }

    static void emit(AllocatorReading reading) {
        AllocatorEvent event = new AllocatorEvent();
        event.mode = reading.mode();
        Attribute[] attributes = Attribute.values();
        for (int i = 0; i < attributes.length; i++) {
            Object value = attributes[i].value.apply(reading);
            try {
                if (value instanceof Double d) {
                    FIELDS[i].setDouble(event, d);
                } else {
                    FIELDS[i].setLong(event, (Long) value);
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e); // its own fields: cannot happen
            }
        }
        event.commit();
    }
}
