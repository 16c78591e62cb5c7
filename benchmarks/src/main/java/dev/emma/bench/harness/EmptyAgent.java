package dev.emma.bench.harness;

import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An agent that does nothing: {@code -javaagent:benchmarks.jar} (this jar's manifest names it)
 * measures what any Java agent costs a JVM (the instrument module, JVMTI, a different Java heap
 * sizing), apart from what Emma's agent adds. The agent section's runs compare the control arm
 * with it as well as with no agent.
 */
public final class EmptyAgent {

    /** Why {@link #jar()} is empty. */
    public static final String NOT_IN_A_JAR =
            "the empty agent is -javaagent:benchmarks.jar, but this code does not run from that jar (build it: ./mvnw -B -pl benchmarks -am package)";

    private EmptyAgent() {
    }

    /** The jar this class was loaded from, the agent's {@code -javaagent} argument; empty when run from classes. */
    public static Optional<Path> jar() {
        try {
            var source = EmptyAgent.class.getProtectionDomain().getCodeSource();
            Path path = source == null ? null : Path.of(source.getLocation().toURI());
            return path != null && Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static void premain(String args, Instrumentation instrumentation) {
        // nothing: the point is the bare -javaagent
    }
}
