package dev.emma.agent.observe;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** {@link AllocatorMXBean} over a reading source; each attribute takes a fresh reading. */
public final class AllocatorMBean implements AllocatorMXBean {

    private final Supplier<AllocatorReading> source;

    public AllocatorMBean(Supplier<AllocatorReading> source) {
        this.source = source;
    }

    /** Registers on the platform MBean server; false if one is registered already. */
    public static boolean register(Supplier<AllocatorReading> source) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        if (server.isRegistered(name)) {
            return false;
        }
        server.registerMBean(new AllocatorMBean(source), name);
        return true;
    }

    @Override
    public String getMode() {
        return source.get().mode();
    }

    @Override
    public long getLiveBytes() {
        return source.get().liveBytes();
    }

    @Override
    public long getLiveAllocations() {
        return source.get().liveAllocations();
    }

    @Override
    public long getMappedBytes() {
        return source.get().mappedBytes();
    }

    @Override
    public long getResidentBytes() {
        return source.get().residentBytes();
    }

    @Override
    public long getTotalAllocations() {
        return source.get().totalAllocations();
    }

    @Override
    public long getTotalReallocations() {
        return source.get().totalReallocations();
    }

    @Override
    public long getTotalFrees() {
        return source.get().totalFrees();
    }

    @Override
    public long getForeignFrees() {
        return source.get().foreignFrees();
    }

    @Override
    public long getDirectBufferAllocations() {
        return source.get().directBufferAllocations();
    }

    @Override
    public long getUnsafeAllocations() {
        return source.get().unsafeAllocations();
    }

    @Override
    public long getFfmAllocations() {
        return source.get().ffmAllocations();
    }

    @Override
    public long getFallbacks() {
        return source.get().fallbacks();
    }
}
