package dev.emma.agent.observe;

/**
 * The platform MBean {@code dev.emma:type=Allocator}: the agent's numbers for JConsole, Mission
 * Control or the Prometheus JMX exporter. The same attributes in every mode, so the arms of an
 * A/B experiment can be compared; each one's unit and meaning is in {@link Attribute} (and in the
 * MBean's own descriptions).
 */
public interface AllocatorMXBean {

    String OBJECT_NAME = "dev.emma:type=Allocator";

    String getMode();

    double getEmmaShare();

    long getEmmaBytes();

    long getNativeBytes();

    long getNativeBytesBeforeActivation();

    long getUncoveredBytes();

    long getLiveBytes();

    long getLiveAllocations();

    long getMappedBytes();

    long getResidentBytes();

    long getReturnedBytes();

    long getReturnFailures();

    long getTotalAllocations();

    long getTotalReallocations();

    long getTotalFrees();

    long getForeignFrees();

    long getFallbacks();

    long getFailedFrees();

    long getDirectBufferAllocations();

    long getDirectBufferLiveBytes();

    long getFfmAllocations();

    long getFfmLiveBytes();

    long getLinkerAllocations();

    long getLinkerLiveBytes();

    long getUnsafeAllocations();

    long getUnsafeLiveBytes();

    long getJdkInternalAllocations();

    long getJdkInternalBytes();

    /** The top {@code count} allocation sites by live off-heap bytes, as text (kept with the agent option {@code sites=N}). */
    String topSites(int count);

    /** The coverage report (what {@code summary} logs at exit), now. */
    String coverageReport();
}
