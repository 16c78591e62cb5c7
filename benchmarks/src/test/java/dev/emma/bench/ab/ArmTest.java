package dev.emma.bench.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArmTest {

    @Test
    void theAgentFlagsGoRightAfterJavaAndEveryArmHasNativeAccess() {
        List<String> user = List.of("/opt/jdk/bin/java", "-Xmx1g", "-jar", "app.jar", "--port", "8080");
        Path jar = Path.of("/repo/agent/target/emma-agent.jar");

        assertEquals(List.of("/opt/jdk/bin/java", "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-jar", "app.jar", "--port", "8080"),
                Arm.NONE.command(user, jar, 0));
        assertEquals(List.of("/opt/jdk/bin/java", "-javaagent:/repo/agent/target/emma-agent.jar=mode=passthrough,summary",
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-jar", "app.jar", "--port", "8080"), Arm.PASSTHROUGH.command(user, jar, 0));
        assertEquals(List.of("/opt/jdk/bin/java", "-javaagent:/repo/agent/target/emma-agent.jar=mode=emma,summary",
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-jar", "app.jar", "--port", "8080"), Arm.EMMA.command(user, jar, 0));
    }

    @Test
    void sitesAddsTheAgentOptionInTheAgentArmsOnly() {
        List<String> user = List.of("java", "-jar", "app.jar");
        Path jar = Path.of("/repo/agent/target/emma-agent.jar");

        assertEquals("-javaagent:/repo/agent/target/emma-agent.jar=mode=emma,summary,sites=20", Arm.EMMA.command(user, jar, 20).get(1));
        assertEquals("mode=passthrough,summary,sites=5", Arm.PASSTHROUGH.agentOptions(5));
        assertEquals(List.of("java", "--enable-native-access=ALL-UNNAMED", "-jar", "app.jar"), Arm.NONE.command(user, jar, 20));
    }
}
