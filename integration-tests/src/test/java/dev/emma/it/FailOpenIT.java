package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.emma.it.app.HelloApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import dev.emma.it.support.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** Where Emma cannot run, the application runs without it and the agent says why in one line. */
class FailOpenIT {

    @Test
    void onJdk17TheApplicationRunsWithoutEmma() throws Exception {
        Path oldJava = TestEnvironment.oldJava();
        assumeTrue(oldJava != null, "no JDK 17 on this machine");
        Path classes = compileForJava17();
        ChildResult result = ChildJvm.ofMainClassName("OldHello").onlyClassPath(classes)
                .javaExecutable(oldJava.toString()).withAgent("mode=emma").run().assertExit(0);
        assertEquals(List.of("hello from Java 17"), result.stdoutLines(), result::describe);
        List<String> agentLines = result.stderrLines().stream().filter(l -> l.contains("emma-agent")).toList();
        assertEquals(1, agentLines.size(), result::describe);
        assertEquals("emma-agent: Emma is OFF, the application runs without it: Emma needs Java 22 or newer, this is Java 17",
                agentLines.get(0), result::describe);
    }

    @Test
    void withNativeAccessDeniedTheApplicationRunsWithoutEmma() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class, "wait").withAgent("mode=emma").jvm("--illegal-native-access=deny").run()
                .assertExit(0);
        assertEquals(HelloApp.LINES[0], result.stdoutLines().get(0), result::describe);
        assertEquals("agent mode: off", result.stdoutLines().get(3), result::describe);
        List<String> agentLines = result.stderrLines().stream().filter(l -> l.contains("emma-agent")).toList();
        assertEquals(1, agentLines.size(), result::describe);
        assertTrue(agentLines.get(0).contains("native access is denied") && agentLines.get(0).contains("--enable-native-access=ALL-UNNAMED"),
                result::describe);
    }

    private static Path compileForJava17() throws Exception {
        Path dir = ChildJvm.scratch("java17");
        Path source = dir.resolve("OldHello.java");
        Files.writeString(source, "public class OldHello { public static void main(String[] a) throws Exception {"
                + " Thread.sleep(1000); System.out.println(\"hello from Java 17\"); } }");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "--release", "17", "-d", dir.toString(), source.toString());
        assertEquals(0, status, "javac --release 17");
        return dir;
    }
}
