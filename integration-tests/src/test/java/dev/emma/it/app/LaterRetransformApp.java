package dev.emma.it.app;

import java.nio.ByteBuffer;

/**
 * Emma's direct buffer, then another agent's retransformation of the internal Unsafe
 * ({@link LaterUnsafeRetransformingAgent}), then the buffer's free: it must reach Emma, not libc.
 */
public final class LaterRetransformApp {

    private LaterRetransformApp() {
    }

    public static void main(String[] args) throws Exception {
        if (!AgentProbe.awaitActive(60_000)) {
            System.out.println("emma: not active");
            return;
        }
        ByteBuffer before = ByteBuffer.allocateDirect(4096);
        System.out.println("before: Emma's " + AgentProbe.emmaOwns(AgentProbe.address(before)));
        LaterUnsafeRetransformingAgent.retransformUnsafe();
        System.out.println("retransformed");
        System.out.flush();
        Memory.free(before); // through the retransformed Unsafe: libc's free of Emma's block aborts
        ByteBuffer after = ByteBuffer.allocateDirect(4096);
        System.out.println("after: Emma's " + AgentProbe.emmaOwns(AgentProbe.address(after)));
        Memory.free(after);
        System.out.println("freed");
    }
}
