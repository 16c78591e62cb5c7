package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emma.it.app.AppByteBuddyAgent;
import dev.emma.it.app.GreeterApp;
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

    /** A jar with {@link AppByteBuddyAgent} as Premain-Class; its Byte Buddy comes from the class path. */
    private static Path appAgentJar() throws IOException {
        Path jar = ChildJvm.scratch("app-agent").resolve("app-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", AppByteBuddyAgent.class.getName());
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        String entry = AppByteBuddyAgent.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry(entry));
            jarOut.write(Files.readAllBytes(TestEnvironment.appClasses().resolve(entry)));
            jarOut.closeEntry();
        }
        return jar;
    }
}
