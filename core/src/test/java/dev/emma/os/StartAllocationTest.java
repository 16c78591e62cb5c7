package dev.emma.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Java heap that starting Emma allocates (in a JVM of its own: what the JDK's FFM linker
 * caches, it builds once per JVM). Every byte of it is heap touched, resident in a JVM that
 * allocates little else on the heap; through the agent it comes on top of the application's.
 */
class StartAllocationTest {

    /**
     * JDK 25, 2026-11-28, as Surefire runs it: 4.08 MiB (4,275,072 bytes) for a first instance and its
     * first block, most of it the FFM linker: 0.67 MiB to get the linker and libc's {@code syscall},
     * 2.52 MiB to bind it, 0.2 MiB for the first call. It was 4.81 MiB (5,046,744 bytes) while the
     * start also bound {@code syscall} with errno capture (0.59 MiB, and 0.16 MiB for its first call),
     * which is now bound at the first failed syscall; 268 KB more before errno's offset was found
     * without a layout path and three lambdas of the start became plain code (a lambda is a class
     * spun with the JDK's class-file generator: 30 to 98 KB each). The bound leaves about 4% for
     * another JDK 25 build and fails on those earlier states; a second binding or a few lambdas fail it.
     */
    static final long START_ALLOCATION_BOUND = 4352L << 10;

    @Test
    void startingEmmaAllocatesABoundedHeap() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, child.exitValue(), output);
        List<String> lines = output.lines().toList();
        assertEquals(2, lines.size(), output);
        long allocated = Long.parseLong(lines.get(0));
        assertEquals("errnoCaptureBound=false", lines.get(1), "a start without a failed syscall binds errno capture");
        assertTrue(allocated > 1 << 20, "the measurement measured nothing: " + allocated + " bytes");
        assertTrue(allocated <= START_ALLOCATION_BOUND, "starting Emma allocated " + allocated + " bytes of heap, more than "
                + START_ALLOCATION_BOUND);
    }

    /**
     * Prints the heap bytes its thread allocated to create an Emma instance and allocate its first
     * block, then whether that bound errno capture.
     */
    static final class Child {
        public static void main(String[] args) throws IOException {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            threads.getCurrentThreadAllocatedBytes(); // its own first call allocates
            long before = threads.getCurrentThreadAllocatedBytes();
            Emma.create().allocate(64);
            long after = threads.getCurrentThreadAllocatedBytes();
            System.out.println(after - before);
            System.out.println("errnoCaptureBound=" + Syscalls.errnoCaptureBound());
        }
    }
}
