package dev.emma.bridge;

/**
 * Tells the agent when JFR exists: the instrumented {@code jdk.jfr.FlightRecorder.getFlightRecorder()},
 * through which every recording starts ({@code -XX:StartFlightRecording}, {@code jcmd JFR.start},
 * {@code new Recording()}, an event stream, the JFR MBean), calls {@link #recorderReady()} as it
 * returns. The agent registers its JFR events then: even a listener ({@code FlightRecorder.addListener})
 * loads and initialises {@code jdk.jfr} classes in every JVM, recording or not.
 */
public final class JfrHook {

    private static final JdkSignal RECORDER_READY = new JdkSignal();

    private JfrHook() {
    }

    /** Called by the JDK, on every {@code getFlightRecorder()} that returns; one volatile read once published. */
    public static void recorderReady() {
        RECORDER_READY.happened();
    }

    /** Runs {@code action} once Flight Recorder exists: now if it does. */
    public static void whenRecorderReady(Runnable action) {
        RECORDER_READY.then(action);
    }
}
