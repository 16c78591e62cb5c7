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
        List<String> fastPath = List.of("dev.emma.bridge.AppUnsafe::allocateMemory", "dev.emma.bridge.AppUnsafe::freeMemory",
                "dev.emma.Emma::allocate", "dev.emma.Emma::freeIfOwned", "dev.emma.heap.Allocator::allocate",
                "dev.emma.heap.Allocator::freeIfOwned", "dev.emma.heap.Heap::next", "dev.emma.heap.Heap::freeOwned",
                "dev.emma.segment.SegmentMap::get", "dev.emma.memory.Memory::getLong", "dev.emma.memory.Memory::putLong");
        for (String method : fastPath) {
            assertTrue(lines.stream().anyMatch(line -> line.contains(method + " (") && line.contains("inline (hot)")),
                    method + " was not inlined into the compiled method\n" + result.describe());
            List<String> refused = lines.stream().filter(line -> line.contains(method + " (") && line.contains("failed")).toList();
            assertEquals(List.of(), refused, method + " refused somewhere");
        }
        List<String> tooDeep = lines.stream().filter(line -> line.contains("inlining too deep")).map(String::strip).toList();
        // No margin: Unsafe is called six frames below the compiled method, as in DeepCallerBenchmark.deep1;
        // one more frame, the application's or the JDK's, and C2 cuts the chain (deep2).
        assertEquals(List.of(), tooDeep, "C2 cut the agent's path off before Emma's raw accesses");
    }
}
