package dev.emma.agent.install;

import dev.emma.bridge.AppUnsafe;
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
    public static final String FLIGHT_RECORDER = "jdk.jfr.FlightRecorder";
    /** A direct buffer's Cleaner action: the direct route's frees. */
    static final String DEALLOCATOR = "java.nio.DirectByteBuffer$Deallocator";
    /** The cleanup action of a block an FFM arena allocated (JDK 25: an anonymous class). */
    static final String SEGMENT_CLEANUP = "jdk.internal.foreign.SegmentFactories$1";
    /** Where every {@code Linker.downcallHandle(symbol, ...)} and {@code downcallHandle(descriptor, ...)} is made. */
    static final String LINKER = "jdk.internal.foreign.abi.AbstractLinker";
    /** The application's Unsafe (module jdk.unsupported): its allocations are told apart from the JDK's own. */
    static final String SUN_MISC_UNSAFE = "sun.misc.Unsafe";

    /** Tells the agent when the platform MBean server exists, see {@code dev.emma.bridge.ManagementHook}. */
    public static final Target MBEAN_SERVER = Target.advice(MANAGEMENT_FACTORY, "getPlatformMBeanServer",
            "()Ljavax/management/MBeanServer;", MBeanServerAdvice.class).whenLoaded();

    /** Tells the agent when JFR exists, see {@code dev.emma.bridge.JfrHook}. */
    public static final Target RECORDER = Target.advice(FLIGHT_RECORDER, "getFlightRecorder",
            "()Ljdk/jfr/FlightRecorder;", FlightRecorderAdvice.class).whenLoaded();

    private Targets() {
    }

    /** The routes and the management and JFR hooks: everything the agent installs. */
    public static List<Target> all(boolean directBuffers) {
        List<Target> targets = new ArrayList<>(jdk(directBuffers));
        targets.add(MBEAN_SERVER);
        targets.add(RECORDER);
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
                Target.advice(SEGMENT_FACTORIES, "allocateMemoryWrapper", "(J)J", SegmentAllocationAdvice.class).whenLoaded()));
        targets.addAll(routeAccounting());
        if (directBuffers) {
            // Both calls or neither: skipping the zeroing is only safe for memory the first call got from Emma.
            targets.add(Target.swapCalls(DIRECT_BYTE_BUFFER, "<init>", "(I)V", List.of(
                    CallSwap.toStatic(UNSAFE, "allocateMemory", "(J)J", DirectBufferBridge.class, "(Ljava/lang/Object;J)J"),
                    CallSwap.toStatic("java.nio.Bits", "setMemory", "(JJB)V", DirectBufferBridge.class, "(JJB)V"))));
        }
        return targets;
    }

    /**
     * Route accounting and the Linker route, each changed when its class loads: the JDK's start-up
     * loads none of them (the FFM classes load with the first segment, the Deallocator with the
     * first direct buffer), so an idle JVM neither loads nor redefines them. Where this JDK lacks
     * their shape (a captured field of another name, another anonymous class) the change fails as
     * the class loads, and that accounting is left out, silently: the advice names a field the
     * class does not have, so neither a stored patch fits nor Byte Buddy weaves it.
     */
    static List<Target> routeAccounting() {
        List<Target> targets = new ArrayList<>();
        targets.add(Target.advice(DEALLOCATOR, "run", "()V", DeallocatorAdvice.class).whenLoaded());
        targets.add(Target.advice(SEGMENT_CLEANUP, "cleanup", "()V", SegmentCleanupAdvice.class).whenLoaded());
        targets.add(Target.advice(LINKER, "downcallHandle",
                "(Ljava/lang/foreign/MemorySegment;Ljava/lang/foreign/FunctionDescriptor;[Ljava/lang/foreign/Linker$Option;)"
                        + "Ljava/lang/invoke/MethodHandle;", LinkerAdvice.class).whenLoaded());
        targets.add(Target.advice(LINKER, "downcallHandle",
                "(Ljava/lang/foreign/FunctionDescriptor;[Ljava/lang/foreign/Linker$Option;)Ljava/lang/invoke/MethodHandle;",
                GenericLinkerAdvice.class).whenLoaded());
        targets.add(Target.swapCalls(SUN_MISC_UNSAFE, "allocateMemory", "(J)J", List.of(
                CallSwap.toStatic(UNSAFE, "allocateMemory", "(J)J", AppUnsafe.class, "(Ljava/lang/Object;J)J"))).whenLoaded());
        // sun.misc.Unsafe is rewritten whole or not at all: on a JDK where either body lacks its call
        // to the internal method, both swaps are left out, and the internal methods' advice still
        // routes every call (only the application route's attribution is lost).
        targets.add(Target.swapCalls(SUN_MISC_UNSAFE, "freeMemory", "(J)V", List.of(
                CallSwap.toStatic(UNSAFE, "freeMemory", "(J)V", AppUnsafe.class, "(Ljava/lang/Object;J)V"))).whenLoaded());
        return targets;
    }
}
