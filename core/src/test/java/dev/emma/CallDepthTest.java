package dev.emma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fast paths' call depth (docs/architecture.md, "Call depth"): C2 inlines a plain method only
 * up to {@code MaxInlineLevel} (15) frames below the method it compiles, and every FFM access of
 * {@code Memory} ends in plain JDK methods about eight frames below it. Cut off there, each raw
 * access becomes real calls and unfolded checks (half the speed or less). So the core keeps its raw
 * accesses few frames below {@code Emma.allocate} and {@code Emma.free}, and a caller five frames
 * above them (a library's helpers, the agent's path from {@code sun.misc.Unsafe}) still gets the
 * whole path inlined.
 *
 * <p>A JVM of its own compiles one method with C2 only ({@code CompileOnly}: no other compiled
 * code whose size could change C2's choices) and prints its inlining tree: Emma's calls, five
 * frames down, must be inlined down to the raw accesses with no "inlining too deep" anywhere. On
 * the chain before it was shortened (allocate → allocateClass → Heap.allocate → next → handOut →
 * Memory → MemorySegment.get → ...) this failed at 22 leaves.
 */
class CallDepthTest {

    /** Methods of the fast paths that must be inlined into the compiled method. */
    private static final List<String> FAST_PATH = List.of("dev.emma.Emma::allocate", "dev.emma.Emma::free",
            "dev.emma.heap.Allocator::allocate", "dev.emma.heap.Allocator::freeIfOwned", "dev.emma.heap.Heap::next",
            "dev.emma.heap.Heap::freeOwned", "dev.emma.segment.SegmentMap::get", "dev.emma.memory.Memory::getLong",
            "dev.emma.memory.Memory::putLong");

    @Test
    void emmasFastPathsAreInlinedWholeFiveFramesBelowTheCompiledMethod() throws Exception {
        assumeTrue(System.getProperty("java.vm.name", "").contains("Server VM"), "C2's inlining log: HotSpot's server VM only");
        Path log = Files.createTempFile("emma-call-depth", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-XX:-TieredCompilation", "-Xbatch",
                    "-XX:CompileOnly=" + Child.class.getName() + "::batch",
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining",
                    "-cp", System.getProperty("java.class.path"), Child.class.getName())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // No inherited JVM options (an inlining flag, a coverage agent) may change what C2 does.
            builder.environment().keySet().removeIf(name -> name.equals("JAVA_TOOL_OPTIONS")
                    || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
            Process child = builder.start();
            if (!child.waitFor(120, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new AssertionError("the child JVM ran for more than 120 s:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            assertEquals(0, child.exitValue(), output);
            assertWholeFastPathInlined(output.lines().toList(), FAST_PATH);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Every method of {@code fastPath} inlined ("inline (hot)") somewhere in the log and refused
     * nowhere, and no "inlining too deep" at all (the compiled method's whole tree is Emma's calls).
     */
    static void assertWholeFastPathInlined(List<String> lines, List<String> fastPath) {
        for (String method : fastPath) {
            assertTrue(lines.stream().anyMatch(line -> line.contains(method + " (") && line.contains("inline (hot)")),
                    method + " was not inlined into the compiled method\n" + String.join("\n", lines));
            List<String> refused = lines.stream().filter(line -> line.contains(method + " (") && line.contains("failed")).toList();
            assertEquals(List.of(), refused, method + " refused somewhere");
        }
        List<String> tooDeep = lines.stream().filter(line -> line.contains("inlining too deep")).map(String::strip).toList();
        assertEquals(List.of(), tooDeep, "C2 cut Emma's fast path off before its raw accesses");
    }

    /** Allocates and frees batches of 64 blocks through five frames of its own, in {@link #batch}. */
    static final class Child {
        public static void main(String[] args) {
            Emma emma = Emma.create();
            long[] blocks = new long[64];
            long sum = 0;
            for (int round = 0; round < 20_000; round++) { // -Xbatch: compiled in the foreground, early on
                sum += batch(emma, blocks);
            }
            System.out.println(sum == 0 ? "no blocks" : "done");
        }

        static long batch(Emma emma, long[] blocks) {
            long sum = 0;
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = allocate5(emma, 64);
            }
            for (int i = 0; i < blocks.length; i++) {
                sum += blocks[i];
                free5(emma, blocks[i]);
            }
            return sum;
        }

        static long allocate5(Emma emma, long size) {
            return allocate4(emma, size);
        }

        static long allocate4(Emma emma, long size) {
            return allocate3(emma, size);
        }

        static long allocate3(Emma emma, long size) {
            return allocate2(emma, size);
        }

        static long allocate2(Emma emma, long size) {
            return allocate1(emma, size);
        }

        static long allocate1(Emma emma, long size) {
            return emma.allocate(size);
        }

        static void free5(Emma emma, long address) {
            free4(emma, address);
        }

        static void free4(Emma emma, long address) {
            free3(emma, address);
        }

        static void free3(Emma emma, long address) {
            free2(emma, address);
        }

        static void free2(Emma emma, long address) {
            free1(emma, address);
        }

        static void free1(Emma emma, long address) {
            emma.free(address);
        }
    }
}
