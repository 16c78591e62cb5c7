package dev.emma.agent.install;

import dev.emma.bridge.DirectBufferBridge;
import dev.emma.agent.install.Target.CallSwap;
import java.util.ArrayList;
import java.util.List;

/**
 * Every change the agent makes to the JDK, one line per method: which class, which method, which
 * advice. To reroute another method, add a line here (and its advice class beside it); the
 * {@link Installer} applies whatever this list holds.
 */
public final class Targets {

    public static final String UNSAFE = "jdk.internal.misc.Unsafe";
    public static final String DIRECT_BYTE_BUFFER = "java.nio.DirectByteBuffer";
    public static final String SEGMENT_FACTORIES = "jdk.internal.foreign.SegmentFactories";
    public static final String MANAGEMENT_FACTORY = "java.lang.management.ManagementFactory";

    /** Tells the agent when the platform MBean server exists, see {@code dev.emma.bridge.ManagementHook}. */
    public static final Target MBEAN_SERVER = Target.advice(MANAGEMENT_FACTORY, "getPlatformMBeanServer",
            "()Ljavax/management/MBeanServer;", MBeanServerAdvice.class).whenLoaded();

    private Targets() {
    }

    /** The routes and the management hook: everything the agent installs. */
    public static List<Target> all(boolean directBuffers) {
        List<Target> targets = new ArrayList<>(jdk(directBuffers));
        targets.add(MBEAN_SERVER);
        return targets;
    }

    /**
     * The routes to the native allocator.
     *
     * @param directBuffers whether to take over direct-buffer allocation and zeroing (written against
     *                      JDK 25's {@code DirectByteBuffer(int)})
     */
    public static List<Target> jdk(boolean directBuffers) {
        List<Target> targets = new ArrayList<>(List.of(
                Target.advice(UNSAFE, "allocateMemory", "(J)J", AllocateMemoryAdvice.class).required(),
                Target.advice(UNSAFE, "reallocateMemory", "(JJ)J", ReallocateMemoryAdvice.class).required(),
                Target.advice(UNSAFE, "freeMemory", "(J)V", FreeMemoryAdvice.class).required(),
                Target.advice(SEGMENT_FACTORIES, "allocateMemoryWrapper", "(J)J", SegmentAllocationAdvice.class)));
        if (directBuffers) {
            // Both calls or neither: skipping the zeroing is only safe for memory the first call got from Emma.
            targets.add(Target.swapCalls(DIRECT_BYTE_BUFFER, "<init>", "(I)V", List.of(
                    CallSwap.toStatic(UNSAFE, "allocateMemory", "(J)J", DirectBufferBridge.class, "(Ljava/lang/Object;J)J"),
                    CallSwap.toStatic("java.nio.Bits", "setMemory", "(JJB)V", DirectBufferBridge.class, "(JJB)V"))));
        }
        return targets;
    }
}
