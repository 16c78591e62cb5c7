package dev.emma.it.app;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;

/**
 * Direct buffers of 2 MiB (each a huge block of its own in Emma) until {@code count} are live, then
 * prints what the application itself saw (how many and how many bytes Emma served, by address) next
 * to what the agent's MBean says. With a mapped-bytes cap below the total, Emma serves the first
 * buffers and the rest fall back to the native allocator.
 *
 * <p>Output: {@code app emmaBuffers=<n> nativeBuffers=<n> emmaBytes=<n> nativeBytes=<n>}, then
 * {@code mbean EmmaShare=<d> EmmaBytes=<n> NativeBytes=<n> Fallbacks=<n>}.
 */
public final class ShareApp {

    static final int SIZE = 2 << 20;

    public static void main(String[] args) throws Exception {
        Check.that(AgentProbe.awaitActive(30_000), "the agent did not become active");
        boolean emma = AgentProbe.mode().equals("emma");
        int count = Integer.parseInt(args[0]);
        List<ByteBuffer> kept = new ArrayList<>();
        long emmaBuffers = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(SIZE);
            buffer.putLong(0, i);
            kept.add(buffer);
            if (emma && AgentProbe.emmaOwns(AgentProbe.address(buffer))) {
                emmaBuffers++;
            }
        }
        long nativeBuffers = count - emmaBuffers;
        System.out.println("app emmaBuffers=" + emmaBuffers + " nativeBuffers=" + nativeBuffers
                + " emmaBytes=" + emmaBuffers * SIZE + " nativeBytes=" + nativeBuffers * SIZE);
        ObjectName name = new ObjectName(AgentProbe.OBJECT_NAME);
        var server = ManagementFactory.getPlatformMBeanServer();
        System.out.println("mbean EmmaShare=" + server.getAttribute(name, "EmmaShare") + " EmmaBytes=" + AgentProbe.attribute("EmmaBytes")
                + " NativeBytes=" + AgentProbe.attribute("NativeBytes") + " Fallbacks=" + AgentProbe.attribute("Fallbacks"));
        kept.forEach(Memory::free);
    }
}
