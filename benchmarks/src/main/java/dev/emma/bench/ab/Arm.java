package dev.emma.bench.ab;

import dev.emma.bench.harness.EmptyAgent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One arm of the experiment: the user's command as given, or with Emma's agent in one of its modes.
 * The agent's flags go right after {@code java}, before the user's own options, so that they apply
 * whatever follows ({@code -jar}, {@code -cp ... Main}, {@code @argfiles}).
 */
public enum Arm {
    NONE("none", null),
    /**
     * An agent that does nothing ({@code -javaagent:benchmarks.jar}, {@link EmptyAgent}): what any Java
     * agent moves in the JVM (the instrument module, Java heap sizing, glibc's arena layout), so
     * that what Emma's agent itself adds can be told apart. Opt-in: {@code --arms none,empty,...}.
     */
    EMPTY("empty", null),
    /** The control arm: instrumented and counted, memory from the native allocator. */
    PASSTHROUGH("passthrough", "passthrough"),
    EMMA("emma", "emma");

    /** The arms run when none are named. */
    public static final List<Arm> DEFAULT = List.of(NONE, PASSTHROUGH, EMMA);

    private final String id;
    private final String agentMode;

    Arm(String id, String agentMode) {
        this.id = id;
        this.agentMode = agentMode;
    }

    public String id() {
        return id;
    }

    /** The agent's {@code Mode} attribute once it routes allocations in this arm; null for {@code none}. */
    public String agentMode() {
        return agentMode;
    }

    public boolean hasAgent() {
        return agentMode != null;
    }

    public static Optional<Arm> byId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
    }

    /**
     * The agent's options in this arm: its mode and {@code summary} (its coverage report at exit,
     * which the report shows per arm), and {@code sites=N} when {@code sites > 0}.
     */
    public String agentOptions(int sites) {
        return "mode=" + agentMode + ",summary" + (sites > 0 ? ",sites=" + sites : "");
    }

    /**
     * The JVM options of this arm: the agent ({@link #agentOptions}) in the agent arms, and native
     * access in every arm (Emma calls mmap through FFM). The control arm gets native access too:
     * libraries choose their path by it (Netty 4.2 mallocs through a Linker downcall when it has it,
     * uses the JDK's direct buffers when not), so every arm must run the same library code.
     */
    public List<String> jvmOptions(Path agentJar, int sites) {
        if (this == EMPTY) {
            Path empty = EmptyAgent.jar().orElseThrow(() -> new IllegalStateException(EmptyAgent.NOT_IN_A_JAR));
            return List.of("-javaagent:" + empty, NATIVE_ACCESS);
        }
        return hasAgent() ? List.of("-javaagent:" + agentJar + "=" + agentOptions(sites), NATIVE_ACCESS) : List.of(NATIVE_ACCESS);
    }

    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /** {@link #jvmOptions(Path, int)} without sites. */
    public List<String> jvmOptions(Path agentJar) {
        return jvmOptions(agentJar, 0);
    }

    /** {@code userCommand} ({@code java ...}) with this arm's JVM options inserted after {@code java}. */
    public List<String> command(List<String> userCommand, Path agentJar, int sites) {
        List<String> command = new ArrayList<>(userCommand);
        command.addAll(1, jvmOptions(agentJar, sites));
        return command;
    }
}
