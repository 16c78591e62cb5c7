package dev.emma.it.app;

import java.nio.ByteBuffer;

/**
 * Prints fixed lines around a little off-heap work, then the agent's mode as its MBean says (none
 * without MBean). With {@code wait}, first waits for the MBean: the agent installs in the background.
 */
public final class HelloApp {

    public static final String[] LINES = {"hello from the application", "direct buffer sum: 4950", "bye"};

    private HelloApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("wait") && !AgentProbe.awaitActive(60_000)) {
            System.err.println("the agent did not activate");
            System.exit(3);
        }
        System.out.println(LINES[0]);
        ByteBuffer buffer = ByteBuffer.allocateDirect(100);
        long sum = 0;
        for (int i = 0; i < 100; i++) {
            buffer.put(i, (byte) i);
            sum += buffer.get(i);
        }
        System.out.println("direct buffer sum: " + sum);
        System.out.println(LINES[2]);
        System.out.println("agent mode: " + (AgentProbe.isActive() ? AgentProbe.mode() : "none"));
    }
}
