package dev.emma.agent.observe;

import java.lang.management.ManagementFactory;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import javax.management.AttributeList;
import javax.management.Descriptor;
import javax.management.ImmutableDescriptor;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * {@link AllocatorMXBean} over a reading source. A single attribute takes a fresh reading; a bulk
 * read ({@code getAttributes}, what the Prometheus JMX exporter and JConsole do on each scrape)
 * takes one reading for all the attributes it asks for, so that they come from one moment and the
 * scrape costs one reading, not one per attribute (a reading runs {@code Emma.stats()} and a
 * {@code mincore} walk of every mapping). Registered as a {@link StandardMBean} that carries each
 * attribute's description and its unit (descriptor field {@code units}, the JMX convention) from
 * {@link Attribute}.
 */
public final class AllocatorMBean implements AllocatorMXBean {

    private static final String INACTIVE = "emma-agent is not active: nothing is routed, nothing to report\n";

    private final Supplier<AllocatorReading> source;
    private final IntFunction<String> sites;
    private final Supplier<String> coverage;

    /** Without sites or coverage report (an inactive agent). */
    public AllocatorMBean(Supplier<AllocatorReading> source) {
        this(source, count -> INACTIVE, () -> INACTIVE);
    }

    /**
     * @param sites    the top sites as text ({@code Sampling.topSites})
     * @param coverage the coverage report as text
     */
    public AllocatorMBean(Supplier<AllocatorReading> source, IntFunction<String> sites, Supplier<String> coverage) {
        this.source = source;
        this.sites = sites;
        this.coverage = coverage;
    }

    /** Registers on the platform MBean server; false if one is registered already. */
    public static boolean register(Supplier<AllocatorReading> source) throws JMException {
        return register(new AllocatorMBean(source));
    }

    /** Registers on the platform MBean server; false if one is registered already. */
    public static boolean register(AllocatorMBean bean) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        if (server.isRegistered(name)) {
            return false;
        }
        server.registerMBean(new Described(bean), name);
        return true;
    }

    /** The MXBean with descriptions and units. */
    static final class Described extends StandardMBean {
        private final AllocatorMBean bean;

        Described(AllocatorMBean bean) throws NotCompliantMBeanException {
            super(bean, AllocatorMXBean.class, true);
            this.bean = bean;
        }

        /**
         * One reading for every attribute asked for. As {@link StandardMBean#getAttributes}, an
         * attribute that cannot be read is left out of the answer; a name not in the table (Mode,
         * or an unknown one) is read the standard way, from the same reading where it is Mode.
         */
        @Override
        public AttributeList getAttributes(String[] names) {
            AttributeList list = new AttributeList(names.length);
            AllocatorReading reading;
            try {
                reading = bean.source.get();
            } catch (RuntimeException e) {
                return list; // what the standard getAttributes answers when every attribute fails
            }
            for (String name : names) {
                Attribute attribute = Attribute.named(name);
                if (attribute != null) {
                    list.add(new javax.management.Attribute(name, attribute.value.apply(reading)));
                } else if ("Mode".equals(name)) {
                    list.add(new javax.management.Attribute(name, reading.mode()));
                } else {
                    try {
                        list.add(new javax.management.Attribute(name, getAttribute(name)));
                    } catch (JMException | RuntimeException e) {
                        // left out, as StandardMBean does
                    }
                }
            }
            return list;
        }

        @Override
        protected String getDescription(MBeanInfo info) {
            return "Off-heap memory routed by emma-agent: where Java-level off-heap bytes come from (Emma or the native"
                    + " allocator), per route, and Emma's own memory";
        }

        @Override
        protected String getDescription(MBeanAttributeInfo info) {
            Attribute attribute = Attribute.named(info.getName());
            return attribute != null ? attribute.description + " (" + attribute.unit + ")"
                    : "emma, passthrough, or off after a fail-open";
        }

        @Override
        protected String getDescription(MBeanOperationInfo info) {
            return info.getName().equals("topSites")
                    ? "The top allocation sites by live off-heap bytes, estimated from byte-weighted samples (agent option sites=N)"
                    : "The coverage report: bytes Emma served, bytes that stayed native and why, live bytes per route, mapped"
                    + " and resident memory, the effective configuration";
        }

        @Override
        protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
            return op.getName().equals("topSites") ? "count" : super.getParameterName(op, param, sequence);
        }

        @Override
        protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
            return op.getName().equals("topSites") ? "how many sites" : super.getDescription(op, param, sequence);
        }

        @Override
        protected void cacheMBeanInfo(MBeanInfo info) {
            MBeanAttributeInfo[] attributes = info.getAttributes();
            MBeanAttributeInfo[] withUnits = new MBeanAttributeInfo[attributes.length];
            for (int i = 0; i < attributes.length; i++) {
                MBeanAttributeInfo a = attributes[i];
                Attribute attribute = Attribute.named(a.getName());
                Descriptor descriptor = attribute == null ? a.getDescriptor()
                        : ImmutableDescriptor.union(a.getDescriptor(), new ImmutableDescriptor("units=" + attribute.unit));
                withUnits[i] = new MBeanAttributeInfo(a.getName(), a.getType(), a.getDescription(), a.isReadable(),
                        a.isWritable(), a.isIs(), descriptor);
            }
            super.cacheMBeanInfo(new MBeanInfo(info.getClassName(), info.getDescription(), withUnits,
                    info.getConstructors(), info.getOperations(), info.getNotifications(), info.getDescriptor()));
        }
    }

    @Override
    public String getMode() {
        return source.get().mode();
    }

    @Override
    public double getEmmaShare() {
        return source.get().emmaShare();
    }

    @Override
    public long getEmmaBytes() {
        return source.get().emmaBytes();
    }

    @Override
    public long getNativeBytes() {
        return source.get().nativeBytes();
    }

    @Override
    public long getNativeBytesBeforeActivation() {
        return source.get().nativeBytesBeforeActivation();
    }

    @Override
    public long getUncoveredBytes() {
        return source.get().uncoveredBytes();
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
    public long getReturnedBytes() {
        return source.get().returnedBytes();
    }

    @Override
    public long getReturnFailures() {
        return source.get().returnFailures();
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
    public long getFallbacks() {
        return source.get().fallbacks();
    }

    @Override
    public long getFailedFrees() {
        return source.get().failedFrees();
    }

    @Override
    public long getDirectBufferAllocations() {
        return source.get().directBufferAllocations();
    }

    @Override
    public long getDirectBufferLiveBytes() {
        return source.get().directBufferLiveBytes();
    }

    @Override
    public long getFfmAllocations() {
        return source.get().ffmAllocations();
    }

    @Override
    public long getFfmLiveBytes() {
        return source.get().ffmLiveBytes();
    }

    @Override
    public long getLinkerAllocations() {
        return source.get().linkerAllocations();
    }

    @Override
    public long getLinkerLiveBytes() {
        return source.get().linkerLiveBytes();
    }

    @Override
    public long getUnsafeAllocations() {
        return source.get().unsafeAllocations();
    }

    @Override
    public long getUnsafeLiveBytes() {
        return source.get().unsafeLiveBytes();
    }

    @Override
    public long getJdkInternalAllocations() {
        return source.get().jdkInternalAllocations();
    }

    @Override
    public long getJdkInternalBytes() {
        return source.get().jdkInternalBytes();
    }

    @Override
    public String topSites(int count) {
        return sites.apply(count);
    }

    @Override
    public String coverageReport() {
        return coverage.get();
    }
}
