package dev.emma.bridge;

/**
 * Tells the agent when the platform MBean server exists: the instrumented
 * {@code ManagementFactory.getPlatformMBeanServer()} calls {@link #platformServerReady()} as it
 * returns. The agent registers its MBean then, not at start-up: creating the platform MBean server
 * costs every JVM about 20 MiB and 100 ms, and a JVM that nobody inspects with JMX never pays it.
 * Whoever does (JConsole, Mission Control, a JMX exporter, the application) creates the server,
 * and the MBean is there as soon as it is.
 */
public final class ManagementHook {

    private static final JdkSignal SERVER_READY = new JdkSignal();

    private ManagementHook() {
    }

    /** Called by the JDK, on every {@code getPlatformMBeanServer()}; one volatile read once published. */
    public static void platformServerReady() {
        SERVER_READY.happened();
    }

    /** Runs {@code action} once the platform MBean server exists: now if it does. */
    public static void whenPlatformServerReady(Runnable action) {
        SERVER_READY.then(action);
    }
}
