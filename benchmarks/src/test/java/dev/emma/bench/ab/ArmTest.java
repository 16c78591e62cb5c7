package dev.emma.bench.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArmTest {

    @Test
    void theAgentFlagsGoRightAfterJava() {
        List<String> user = List.of("/opt/jdk/bin/java", "-Xmx1g", "-jar", "app.jar", "--port", "8080");
        Path jar = Path.of("/repo/agent/target/emma-agent.jar");

        assertEquals(user, Arm.NONE.command(user, jar));
        assertEquals(List.of("/opt/jdk/bin/java", "-javaagent:/repo/agent/target/emma-agent.jar=mode=passthrough",
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-jar", "app.jar", "--port", "8080"), Arm.PASSTHROUGH.command(user, jar));
        assertEquals(List.of("/opt/jdk/bin/java", "-javaagent:/repo/agent/target/emma-agent.jar=mode=emma",
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-jar", "app.jar", "--port", "8080"), Arm.EMMA.command(user, jar));
    }
}
