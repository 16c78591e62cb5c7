package dev.emma.bench.workload;

import dev.emma.bench.proc.ProcStatus;
import java.util.Set;

/**
 * A JVM that does nothing for {@code seconds} (default 4) once the agent, if any, is active: its
 * resident size is the footprint of the JVM and of the agent (the agent section's idle RSS).
 */
public final class IdleJvm {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("seconds"));
        ResultLine.awaitAgent();
        Thread.sleep((long) (args.decimal("seconds", 4) * 1000));
        new ResultLine().put("throughput", 0L).put("unit", "none").put("rssIdleBytes", ProcStatus.self().rssBytes()).print();
    }
}
