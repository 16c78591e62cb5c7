package dev.emma.bench.workload;

import dev.emma.Emma;
import dev.emma.EmmaStats;
import dev.emma.bench.memory.EmmaAgent;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Emma's live and mapped bytes as seen from inside the workload JVM: from the agent's platform
 * MBean {@code dev.emma:type=Allocator} (what an operator would read with JConsole), or, when the
 * agent runs but registered no MBean, from {@code Emma.global().stats()}. Without the agent there
 * is nothing to read, and the global instance is not created just to report zeros.
 */
final class EmmaCounters {

    /** Live and mapped bytes, and where they were read. */
    record Counters(long liveBytes, long mappedBytes, String source) {
    }

    private EmmaCounters() {
    }

    static Optional<Counters> read() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(EmmaAgent.MBEAN);
            if (server.isRegistered(name)) {
                return Optional.of(new Counters(((Number) server.getAttribute(name, "LiveBytes")).longValue(),
                        ((Number) server.getAttribute(name, "MappedBytes")).longValue(), "MBean " + EmmaAgent.MBEAN));
            }
        } catch (Exception | LinkageError e) {
            System.err.println("cannot read " + EmmaAgent.MBEAN + ": " + e);
        }
        if (EmmaAgent.requested()) {
            EmmaStats stats = Emma.global().stats();
            return Optional.of(new Counters(stats.liveBytes(), stats.mappedBytes(), "Emma.global().stats()"));
        }
        return Optional.empty();
    }
}
