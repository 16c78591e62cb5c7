package dev.emma.bridge;

import jdk.internal.access.SharedSecrets;

/**
 * The JDK's direct-buffer pool (the figure behind {@code BufferPoolMXBean("direct")}), read without
 * starting JMX: at activation the agent notes what was allocated natively before it.
 */
public final class DirectPool {

    private DirectPool() {
    }

    /** Bytes the JDK counts for live direct buffers, or -1 where this class may not read them (not defined by the agent). */
    public static long bytesInUse() {
        try {
            return Math.max(0, SharedSecrets.getJavaNioAccess().getDirectBufferPool().getMemoryUsed());
        } catch (IllegalAccessError e) {
            return -1; // java.base exports jdk.internal.access to the bridge only when the agent defines it
        }
    }
}
