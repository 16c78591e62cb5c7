package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.AppByteBuddyAgent;
import dev.emma.it.app.GreeterApp;
import dev.emma.it.app.LaterRetransformApp;
import dev.emma.it.app.LaterUnsafeRetransformingAgent;
import dev.emma.it.app.RetransformRefusingAgent;
import dev.emma.it.app.UnsafeReallocApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import dev.emma.it.support.TestEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** Other agents in the same JVM: an application's own Byte Buddy agent, and OpenTelemetry's. */
class CoexistenceIT {

    private static final List<String> BOTH_WORK = List.of("greeting: " + AppByteBuddyAgent.REWRITTEN, "emma: serves direct buffers");

    @Test
    void withTheApplicationsOwnByteBuddyAgent() throws Exception {
        Path appAgent = appAgentJar();
        for (boolean emmaFirst : new boolean[] {true, false}) {
            String emma = "-javaagent:" + TestEnvironment.agentJar() + "=mode=emma";
            String app = "-javaagent:" + appAgent;
            ChildResult result = ChildJvm.of(GreeterApp.class).classPath(TestEnvironment.byteBuddyJar())
                    .jvm(emmaFirst ? emma : app, emmaFirst ? app : emma, "--enable-native-access=ALL-UNNAMED",
                            "--sun-misc-unsafe-memory-access=allow") // the application's Byte Buddy uses sun.misc.Unsafe
                    .run().assertExit(0);
            assertEquals(BOTH_WORK.get(0), result.stdoutLines().get(0), result::describe);
            assertEquals(BOTH_WORK.get(1), result.stdoutLines().get(1), result::describe);
            assertEquals(List.of(), result.stderrLines(), result::describe);
        }
    }

    @Test
    void withTheOpenTelemetryJavaAgent() throws Exception {
        ChildResult result = ChildJvm.of(GreeterApp.class)
                .jvm("-javaagent:" + TestEnvironment.openTelemetryAgentJar(), "-javaagent:" + TestEnvironment.agentJar() + "=mode=emma",
                        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none",
                        "-Dotel.logs.exporter=none", "-Dotel.javaagent.logging=none")
                .run().assertExit(0);
        assertEquals(List.of("greeting: original greeting", "emma: serves direct buffers"), result.stdoutLines(), result::describe);
        // OpenTelemetry's own lines (its version, the JVM's CDS warning about its bootstrap jar) may appear
        assertEquals(List.of(), result.stderrLines().stream().filter(l -> l.contains("emma")).toList(), result::describe);
    }

    /**
     * Another agent's change that the JVM refuses at the retransformation undoes Emma's changes in
     * the same batch: the agent must see that and fail open. It took the transformer's answer for
     * the JVM's, routed {@code sun.misc.Unsafe} (changed as it loads) to Emma while the JDK's
     * internal {@code Unsafe} stayed unchanged, and libc's realloc aborted on Emma's block (found
     * in review: "realloc(): invalid pointer", exit 134).
     */
    @Test
    void withAnAgentWhoseRetransformationTheJvmRefusesTheApplicationRunsWithoutEmma() throws Exception {
        ChildResult result = ChildJvm.of(UnsafeReallocApp.class).classPath(TestEnvironment.byteBuddyJar())
                .jvm("-javaagent:" + agentJar(RetransformRefusingAgent.class, "refusing-agent"),
                        "-javaagent:" + TestEnvironment.agentJar() + "=mode=emma",
                        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                .run().assertExit(0);
        assertEquals(List.of("reallocated: first byte 42, last byte 7", "direct buffer: 5"), result.stdoutLines(), result::describe);
        List<String> agentLines = result.stderrLines().stream().filter(l -> l.contains("emma-agent")).toList();
        assertEquals(1, agentLines.size(), result::describe);
        assertTrue(agentLines.get(0).contains("Emma is OFF") && agentLines.get(0).contains("refused the retransformation"),
                result::describe);
    }

    /**
     * Another agent retransforms the internal {@code Unsafe} while the application runs, and Emma
     * cannot weave into its bytes: no stored result fits them and Byte Buddy cannot be opened (no
     * writable {@code java.io.tmpdir} for the weaver jar). The transformer returned null, the JVM
     * installed {@code Unsafe} without Emma's advice, and the next free of an Emma block reached libc:
     * "free(): invalid pointer", exit 134 (found in review r5). Now the class keeps Emma's change, the
     * other agent's is dropped, and one warning says so.
     */
    @Test
    void whenAnotherAgentsLaterChangeToUnsafeCannotBeWovenUnsafeKeepsEmmasChange() throws Exception {
        ChildResult result = ChildJvm.of(LaterRetransformApp.class).classPath(TestEnvironment.byteBuddyJar())
                .jvm("-Djava.io.tmpdir=/nonexistent/tmp",
                        "-javaagent:" + agentJar(LaterUnsafeRetransformingAgent.class, "later-agent"),
                        "-javaagent:" + TestEnvironment.agentJar() + "=mode=emma",
                        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                .run().assertExit(0);
        assertEquals(List.of("before: Emma's true", "retransformed", "after: Emma's true", "freed"), result.stdoutLines(), result::describe);
        List<String> warnings = result.stderrLines().stream().filter(l -> l.contains("another agent's change")).toList();
        assertEquals(1, warnings.size(), result::describe);
        assertTrue(warnings.get(0).startsWith("WARNING: another agent's change to jdk.internal.misc.Unsafe is dropped"), result::describe);
    }

    /** A jar with {@link AppByteBuddyAgent} as Premain-Class; its Byte Buddy comes from the class path. */
    private static Path appAgentJar() throws IOException {
        return agentJar(AppByteBuddyAgent.class, "app-agent");
    }

    /** A jar with {@code agent} (a class of the test applications, without nested classes) as Premain-Class. */
    private static Path agentJar(Class<?> agent, String name) throws IOException {
        Path jar = ChildJvm.scratch(name).resolve(name + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", agent.getName());
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            String prefix = agent.getName().replace('.', '/');
            Path dir = TestEnvironment.appClasses().resolve(prefix).getParent();
            try (var files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith(agent.getSimpleName())).sorted().toList()) {
                    String entry = prefix.substring(0, prefix.lastIndexOf('/') + 1) + file.getFileName();
                    jarOut.putNextEntry(new JarEntry(entry)); // the agent and its nested classes
                    jarOut.write(Files.readAllBytes(file));
                    jarOut.closeEntry();
                }
            }
        }
        return jar;
    }
}
