package dev.emma.bench.memory;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The Emma agent as seen from inside a measured JVM. Allocations made before the agent is active
 * stay native (with {@code install=background} that is up to a second here); a long-running service
 * never notices, but a few-second benchmark would measure glibc for its first second. So every
 * measured program waits for the agent to be active before it starts.
 *
 * <p>The wait must not itself make the agent arm dearer than the others: reading the agent's MBean
 * creates the platform MBean server, which no other arm starts and the agent avoids on purpose
 * (about 20 MiB of resident memory, 20 MiB of Java heap garbage and a young GC before the
 * measured part; it made the agent arm's peak RSS 15 MiB above the core arm's). So the routing
 * mode is first read from the agent's own bridge in the bootstrap loader ({@link #routingMode});
 * the MBean is only the fallback, for an agent that is not routing yet or whose bridge this code
 * does not know. Nor may the agent arm pay what the core arm pays before its timed part: the core
 * arm's {@code Emma.global()} starts Emma when the workload builds its memory, the agent starts it
 * at the first allocation routed to it (about 140 ms of FFM linker set-up here), so the wait ends
 * with one allocation through the JDK ({@link #startAllocator}).
 */
public final class EmmaAgent {

    public static final String MBEAN = "dev.emma:type=Allocator";

    /** The agent's entry point for instrumented JDK code; {@code router().mode()} is its routing. */
    static final String BRIDGE = "dev.emma.bridge.Bridge";

    private EmmaAgent() {
    }

    /**
     * Whether this JVM was started with {@code -javaagent:...emma-agent...} (its command line), or
     * the agent defined its bridge (e.g. from {@code JAVA_TOOL_OPTIONS}). Not through the runtime
     * MXBean: every workload asks this before it starts, and the management classes it loads are
     * resident memory no allocator is responsible for (about 1 MiB of the glibc arm's peak here).
     */
    public static boolean requested() {
        boolean onCommandLine = ProcessHandle.current().info().arguments()
                .map(args -> Arrays.stream(args).anyMatch(arg -> arg.startsWith("-javaagent:") && arg.contains("emma-agent")))
                .orElse(false);
        return onCommandLine || bridgeDefined();
    }

    private static boolean bridgeDefined() {
        try {
            Class.forName(BRIDGE, false, null);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Waits until the agent routes (its bridge says so) or, failing that, its MBean is registered (it
     * is once the agent is active, or has failed open), at most {@code timeoutMillis}. Returns the
     * agent's {@code Mode}, {@code none} without the agent, or {@code not-active} when it did not
     * become active in time.
     */
    public static String awaitActive(long timeoutMillis) {
        if (!requested()) {
            return "none";
        }
        String routing = routingMode();
        if (routing != null) {
            startAllocator();
            return routing;
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(MBEAN);
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
            while (!server.isRegistered(name)) {
                if (System.nanoTime() > deadline) {
                    return "not-active";
                }
                Thread.sleep(10);
            }
            startAllocator();
            return String.valueOf(server.getAttribute(name, "Mode"));
        } catch (Exception e) {
            return "unreadable: " + e;
        }
    }

    /**
     * {@code emma} or {@code passthrough} when the agent's active router routes that way, read by
     * reflection from its bridge (a bootstrap class in a module that exports it), with no JMX; null
     * when there is no such class (no agent, or one that failed before defining it), when its router
     * is still inactive (installing in the background, or failed open), or when it cannot be read.
     */
    static String routingMode() {
        try {
            Class<?> bridge = Class.forName(BRIDGE, false, null);
            Object router = bridge.getMethod("router").invoke(null);
            Method mode = router.getClass().getMethod("mode");
            String name = String.valueOf(mode.invoke(router)).toLowerCase(Locale.ROOT);
            return name.equals("emma") || name.equals("passthrough") ? name : null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /**
     * One block allocated and freed through the JDK's internal {@code Unsafe} (an FFM arena: no
     * {@code sun.misc.Unsafe} warning, no native access needed), so that the agent's Emma has started
     * before the caller's timed part, as the core arm's has.
     */
    private static void startAllocator() {
        try (Arena arena = Arena.ofConfined()) {
            arena.allocate(64);
        }
    }
}
