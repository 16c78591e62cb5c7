package dev.emma.agent.observe;

/**
 * The platform MBean {@code dev.emma:type=Allocator}: the agent's numbers for JConsole, Mission
 * Control or the Prometheus JMX exporter. The same attributes in every mode, so the arms of an
 * A/B experiment can be compared. See {@link AllocatorReading} for what each one means.
 */
public interface AllocatorMXBean {

    String OBJECT_NAME = "dev.emma:type=Allocator";

    String getMode();

    long getLiveBytes();

    long getLiveAllocations();

    long getMappedBytes();

    long getResidentBytes();

    long getTotalAllocations();

    long getTotalReallocations();

    long getTotalFrees();

    long getForeignFrees();

    long getDirectBufferAllocations();

    long getUnsafeAllocations();

    long getFfmAllocations();

    long getFallbacks();
}
