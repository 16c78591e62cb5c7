package dev.emma.bench.workload;

import dev.emma.bench.proc.ProcStatus;
import java.util.Set;

/**
 * A JVM that does nothing for {@code seconds} (default 4): its resident size is the footprint of
 * the JVM and of the agent (the agent section's idle RSS). It does not wait for the agent's MBean
 * as the other workloads do: that wait starts the platform MBean server, several MiB that only the
 * agent arms would then carry; the agent is active before {@code main} anyway. It reads its RSS
 * without NIO: NIO's temporary native buffer would start Emma in the emma arm (until 2026-11-27
 * 22:00 it did, so that arm's idle row included Emma's own start).
 */
public final class IdleJvm {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("seconds"));
        Thread.sleep((long) (args.decimal("seconds", 4) * 1000));
        new ResultLine().put("throughput", 0L).put("unit", "none").put("rssIdleBytes", ProcStatus.selfWithoutDirectBuffer().rssBytes()).print();
    }
}
