package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emma.it.app.AttachApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import dev.emma.it.support.TestEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** agentmain: attaching to a running JVM works, and memory from before the attach stays the JDK's. */
class DynamicAttachIT {

    @Test
    void attachAfterAllocationsKeepsThemForeignAndServesNewOnesFromEmma() throws Exception {
        ChildResult result = ChildJvm.of(AttachApp.class, TestEnvironment.agentJar().toString(), "mode=emma")
                .jvm("-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED",
                        "--sun-misc-unsafe-memory-access=allow")
                .run().assertExit(0);
        assertEquals(List.of("PASS attached", "PASS preAttachMemoryIsForeign", "PASS foreignReallocationStaysForeign",
                "PASS foreignFreesGoToTheJdk", "PASS newMemoryIsEmmas"), result.stdoutLines(), result::describe);
        assertEquals(List.of(), result.stderrLines(), result::describe);
    }
}
