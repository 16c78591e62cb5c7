package dev.emma.it.app;

import java.nio.ByteBuffer;

/**
 * An application whose own (not relocated) Byte Buddy agent rewrites {@link #greeting()}; prints
 * the greeting and whether its direct buffers are Emma's.
 */
public final class GreeterApp {

    private GreeterApp() {
    }

    public static String greeting() {
        return "original greeting";
    }

    public static void main(String[] args) throws Exception {
        System.out.println("greeting: " + greeting());
        if (!AgentProbe.awaitActive(60_000)) {
            System.out.println("emma: not active");
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        System.out.println("emma: " + (AgentProbe.emmaOwns(AgentProbe.address(buffer)) ? "serves direct buffers" : "does not serve direct buffers"));
        Memory.free(buffer);
    }
}
