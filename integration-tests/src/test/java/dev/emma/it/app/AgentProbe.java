package dev.emma.it.app;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.lang.foreign.MemorySegment;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Inside a child JVM: what the agent says about itself, read the way an operator would (JMX).
 * Touches no class of the core until the agent is active, so that the core seen is the agent's.
 */
public final class AgentProbe {

    public static final String OBJECT_NAME = "dev.emma:type=Allocator";

    private AgentProbe() {
    }

    /** Waits until the agent published its MBean (it installs in the background); false on timeout. */
    public static boolean awaitActive(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (isActive()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    public static boolean isActive() {
        try {
            return server().isRegistered(new ObjectName(OBJECT_NAME));
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long attribute(String name) {
        return (Long) read(name);
    }

    public static String mode() {
        return (String) read("Mode");
    }

    private static Object read(String name) {
        try {
            return server().getAttribute(new ObjectName(OBJECT_NAME), name);
        } catch (JMException e) {
            throw new IllegalStateException("cannot read " + name + " of " + OBJECT_NAME, e);
        }
    }

    private static MBeanServer server() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    public static long address(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address();
    }

    /** Whether Emma (the agent's global instance) owns the address. */
    public static boolean emmaOwns(long address) {
        return dev.emma.Emma.global().owns(address);
    }
}
