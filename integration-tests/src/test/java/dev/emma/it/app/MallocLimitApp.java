package dev.emma.it.app;

import java.nio.ByteBuffer;

/**
 * Allocations over {@code -XX:MallocLimit} (oom mode) get the JDK's {@code OutOfMemoryError}, through
 * {@code Unsafe} and through {@code ByteBuffer.allocateDirect}, and smaller ones still succeed.
 * Prints one line per attempt: {@code <what> ok <emma>} or {@code <what> OOM <message>}.
 */
public final class MallocLimitApp {

    public static void main(String[] args) throws Exception {
        Check.that(AgentProbe.awaitActive(30_000), "the agent did not become active");
        sun.misc.Unsafe unsafe = Memory.unsafe();
        try {
            long address = unsafe.allocateMemory(200L << 20);
            System.out.println("unsafe200m ok " + AgentProbe.emmaOwns(address));
        } catch (OutOfMemoryError e) {
            System.out.println("unsafe200m OOM " + e.getMessage());
        }
        try {
            ByteBuffer.allocateDirect(200 << 20);
            System.out.println("direct200m ok");
        } catch (OutOfMemoryError e) {
            System.out.println("direct200m OOM " + e.getMessage());
        }
        long small = unsafe.allocateMemory(1 << 20);
        System.out.println("unsafe1m ok " + AgentProbe.emmaOwns(small));
        unsafe.freeMemory(small);
    }
}
