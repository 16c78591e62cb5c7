package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.ArrowApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import dev.emma.it.support.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Apache Arrow 19, unchanged, through the agent: 1M rows of record batches built in a RootAllocator,
 * written as an IPC stream and read back, every value checked, nothing leaked; the vectors' data
 * buffers are Emma's in emma mode and native in passthrough mode, on Arrow's Unsafe allocation manager
 * and on its Netty one (Netty's pooled direct buffers), each with only its own jars on the class path.
 */
class ArrowIT {

    /**
     * What Arrow 19 needs on JDK 25 (found by running it without each): java.nio opened (MemoryUtil makes
     * DirectByteBuffers over its memory for IPC writes; without it, "sun.misc.Unsafe or
     * java.nio.DirectByteBuffer.<init>(long, int) not available"), and Unsafe's memory access allowed
     * (otherwise the JDK warns about Arrow's MemoryUtil on stderr).
     */
    static final String[] ARROW_JVM_ARGS = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"};

    /** Arrow logs through slf4j-api; an application without a binding gets SLF4J's own three lines, once. */
    private static final List<String> SLF4J_NO_PROVIDERS = List.of(
            "SLF4J(W): No SLF4J providers were found.",
            "SLF4J(W): Defaulting to no-operation (NOP) logger implementation",
            "SLF4J(W): See https://www.slf4j.org/codes.html#noProviders for further details.");

    private static final Pattern ROUTES = Pattern.compile("routes unsafe=(-?\\d+) direct=(-?\\d+) linker=(-?\\d+)");

    @ParameterizedTest(name = "Arrow {0}, mode={1}")
    @CsvSource({"unsafe, emma", "unsafe, passthrough", "netty, emma", "netty, passthrough"})
    void arrowsBuffersAreEmmasInEmmaModeAndNativeInPassthrough(String manager, String mode) throws Exception {
        ChildJvm jvm = ChildJvm.of(ArrowApp.class, manager).withAgent("mode=" + mode).jvm("-Xmx512m").jvm(ARROW_JVM_ARGS);
        jars(TestEnvironment.arrowJars(manager)).forEach(jvm::classPath);
        ChildResult result = jvm.run().assertExit(0);

        List<String> lines = result.stdoutLines();
        assertEquals(6, lines.size(), result::describe);
        long rows = (long) ArrowApp.BATCHES * ArrowApp.ROWS_PER_BATCH;
        assertEquals("arrow " + manager + " mode=" + mode + " rows=" + rows + " batches=" + ArrowApp.BATCHES,
                lines.get(0).replaceFirst(" ipcBytes=\\d+$", ""), result::describe);
        // 16 batches of 5 leaf vectors, written and read back: every data buffer checked, all Emma's or none
        assertEquals("buffers checked=160 emma=" + (mode.equals("emma") ? 160 : 0), lines.get(1), result::describe);
        Matcher routes = ROUTES.matcher(lines.get(2));
        assertTrue(routes.matches(), result::describe);
        if (manager.equals("unsafe")) {
            // at least one Unsafe block per batch built; its data blocks are over 64 KiB, so counted exactly in passthrough too
            assertTrue(Long.parseLong(routes.group(1)) >= ArrowApp.BATCHES, () -> "UnsafeAllocations\n" + result.describe());
        } else {
            // Netty 4.2's pool takes its chunks from ByteBuffer.allocateDirect here (no Unsafe, no Linker malloc for it)
            assertTrue(Long.parseLong(routes.group(2)) >= 2, () -> "DirectBufferAllocations\n" + result.describe());
        }
        assertEquals("liveBytes peak-grew=true back=true", lines.get(3), result::describe);
        assertEquals("ok", lines.get(5), result::describe);
        List<String> stderr = result.stderrBesidesNativeAccessWarning().stream().filter(l -> !SLF4J_NO_PROVIDERS.contains(l)).toList();
        assertEquals(List.of(), stderr, result::describe);
    }

    private static List<Path> jars(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
