package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.DeepUnsafeApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent path at the core's depth (agent/README.md, "Cost of the agent path"): an application's
 * {@code sun.misc.Unsafe.allocateMemory} and {@code freeMemory}, called through five frames of its
 * own, reach Emma through the door's constant method handles, and C2 inlines the whole path into the
 * compiled method, down to the core's raw accesses, with no "inlining too deep" anywhere. A JVM of its
 * own compiles only that method with C2 ({@code CompileOnly}, so that no other compiled code's size
 * changes C2's choices). With the core's old chain, or with the free entering through the internal
 * {@code Unsafe.freeMemory}'s advice, C2 cut the chain at FFM's plain leaves.
 */
class CallDepthIT {

    @Test
    void unsafeThroughTheAgentIsInlinedDownToEmmasRawAccesses() throws Exception {
        ChildResult result = ChildJvm.of(DeepUnsafeApp.class).withAgent(null)
                .jvm("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                        "-XX:-TieredCompilation", "-Xbatch", "-XX:CompileOnly=" + DeepUnsafeApp.class.getName() + "::batch",
                        "-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining")
                .run().assertExit(0);
        List<String> lines = result.stdoutLines();
        assertTrue(inlined(lines, "dev.emma.bridge.AppUnsafe::allocateMemory") && inlined(lines, "dev.emma.bridge.AppUnsafe::freeMemory"),
                "sun.misc.Unsafe's calls did not reach the bridge's replacements\n" + result.describe());
        assertTrue(inlined(lines, "dev.emma.Emma::allocate") && inlined(lines, "dev.emma.Emma::freeIfOwned"),
                "the compiled method did not inline Emma's calls through the door\n" + result.describe());
        assertTrue(inlined(lines, "dev.emma.memory.Memory::getLong"), "no raw access inlined\n" + result.describe());
        List<String> tooDeep = lines.stream().filter(line -> line.contains("inlining too deep")).map(String::strip).toList();
        assertEquals(List.of(), tooDeep, "C2 cut the agent's path off before Emma's raw accesses");
    }

    private static boolean inlined(List<String> lines, String method) {
        return lines.stream().anyMatch(line -> line.contains(method + " (") && line.contains("inline (hot)"));
    }
}
