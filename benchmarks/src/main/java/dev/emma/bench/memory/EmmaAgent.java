package dev.emma.bench.memory;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The Emma agent as seen from inside a measured JVM. The agent installs itself on a background
 * thread (about a second here) and allocations made before that stay native; a long-running
 * service never notices, but a few-second benchmark would measure glibc for its first second. So
 * every measured program waits for the agent to be active before it starts.
 */
public final class EmmaAgent {

    public static final String MBEAN = "dev.emma:type=Allocator";

    private EmmaAgent() {
    }

    /** Whether this JVM was started with {@code -javaagent:...emma-agent...}. */
    public static boolean requested() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(arg -> arg.startsWith("-javaagent:") && arg.contains("emma-agent"));
    }

    /**
     * Waits until the agent's MBean is registered (it is, once the agent is active), at most
     * {@code timeoutMillis}. Returns the agent's {@code Mode}, {@code none} without the agent, or
     * {@code not-active} when it did not become active in time.
     */
    public static String awaitActive(long timeoutMillis) {
        if (!requested()) {
            return "none";
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
            return String.valueOf(server.getAttribute(name, "Mode"));
        } catch (Exception e) {
            return "unreadable: " + e;
        }
    }
}
