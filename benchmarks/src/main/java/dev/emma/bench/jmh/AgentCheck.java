package dev.emma.bench.jmh;

import dev.emma.bench.memory.EmmaAgent;

/** Trial set-up shared by the benchmarks: a fork with the Emma agent waits until it is active. */
final class AgentCheck {

    private AgentCheck() {
    }

    static void awaitAgent() {
        String mode = EmmaAgent.awaitActive(30_000);
        if (!mode.equals("none") && !mode.equals("emma") && !mode.equals("passthrough")) {
            throw new IllegalStateException("the Emma agent was requested but is not routing: " + mode);
        }
    }
}
