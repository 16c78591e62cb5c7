package dev.emma.bench.harness;

import java.lang.instrument.Instrumentation;

/**
 * An agent that does nothing: {@code -javaagent:benchmarks.jar} (this jar's manifest names it)
 * measures what any Java agent costs a JVM (the instrument module, JVMTI, a different Java heap
 * sizing), apart from what Emma's agent adds. The agent section's runs compare the control arm
 * with it as well as with no agent.
 */
public final class EmptyAgent {

    private EmptyAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        // nothing: the point is the bare -javaagent
    }
}
