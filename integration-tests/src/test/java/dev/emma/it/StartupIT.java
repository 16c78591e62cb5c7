package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.EarlyCoreApp;
import dev.emma.it.app.HelloApp;
import dev.emma.it.app.QuietApp;
import dev.emma.it.app.StartupAllocationApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What start-up does and costs, pinned without timing: the agent is active when premain returns,
 * and on the JDK that built it, start-up runs none of Byte Buddy (its weaving shipped in the jar),
 * creates no MBean server, loads nothing of JFR and starts no Emma when the application needs none.
 */
class StartupIT {

    /** A bound with room: today about 40 classes of the agent's own load at start-up. */
    static final int AGENT_CLASSES_AT_STARTUP = 60;

    @Test
    void aQuietApplicationLoadsNoByteBuddyNoJmxNoJfrNoFfmLinkerAndFewAgentClasses() throws Exception {
        Path log = ChildJvm.scratch("classes").resolve("classes.log");
        ChildResult result = ChildJvm.of(QuietApp.class).withAgent(null).jvm("-Xlog:class+load=info:file=" + log)
                .run().assertExit(0);
        assertEquals(List.of("quiet"), result.stdoutLines(), result::describe);
        assertEquals("", result.stderr(), result::describe);
        List<String> loaded = Files.readAllLines(log);
        List<String> byteBuddy = loaded.stream().filter(line -> line.contains(" dev.emma.agent.shaded.bytebuddy.")).toList();
        assertEquals(List.of(), byteBuddy, "Byte Buddy ran at start-up: the jar's patches do not fit the JDK that built it");
        assertEquals(List.of(), loaded.stream().filter(line -> line.contains(" java.lang.management.ManagementFactory ")
                || line.contains(" com.sun.jmx.")).toList(), "the agent created the platform MBean server");
        assertEquals(List.of(), loaded.stream().filter(line -> line.contains(" jdk.jfr.")).toList(),
                "the agent loaded JFR though nothing records (a listener alone loads eight jdk.jfr classes)");
        assertEquals(List.of(), loaded.stream().filter(line -> line.contains(" jdk.internal.foreign.abi.DowncallLinker ")).toList(),
                "Emma started though nothing was allocated off-heap");
        // Each class the JDK generates at start-up (a lambda, a string concatenation shape) runs its
        // class-file generator; a few more and that generator is JIT-compiled, with 7 MiB of compiler memory.
        assertEquals(List.of(), loaded.stream().filter(line -> line.matches(".* dev\\.emma\\.\\S*\\$\\$Lambda.*")
                || line.contains(" java.lang.invoke.StringConcatFactory ") || line.contains(" java.util.zip.ZipFile$Source$$Lambda")).toList(),
                "start-up spun a lambda of the agent, a string concatenation, or a lambda for a versioned entry of the agent jar");
        long agentClasses = loaded.stream().filter(line -> line.contains("emma-agent.jar")).count();
        assertTrue(agentClasses > 5 && agentClasses <= AGENT_CLASSES_AT_STARTUP, agentClasses + " classes loaded from the agent jar");
    }

    /**
     * The heap premain allocates (on the main thread, before main), over a JVM without the agent:
     * about 2.71 MiB on JDK 25 (2026-11-28: 2,841,344 bytes; 2,801,200 with mode=passthrough), 1.1 MiB
     * of it the JDK's own for any agent (an empty one); 2.75 MiB before the FFM classes and the
     * Deallocator were changed when they load (not loaded and redefined at start-up); 3.22 MiB
     * at an earlier state; 3.39 MiB
     * before the boot modules' classes were stored entries read into one buffer (not inner jars read
     * through an inflater and copied whole); 3.8 MiB before the stored patches kept a digest of the
     * class files they fit, not the class files, and the agent jar's entries were stored uncompressed;
     * 4.5 MiB before the stored patches were read lazily, the boot jars without a verifier, and no
     * lambda spun. The bound leaves about 6% (170 KiB) for another machine's environment and paths,
     * and still fails on each state before 2.75 MiB.
     */
    static final long STARTUP_ALLOCATION_BOUND = 2944L << 10;

    @Test
    void premainAllocatesABoundedHeap() throws Exception {
        long without = allocatedBeforeMain(ChildJvm.of(StartupAllocationApp.class));
        for (String options : new String[] {"", "mode=passthrough"}) {
            long with = allocatedBeforeMain(ChildJvm.of(StartupAllocationApp.class).withAgent(options)
                    .jvm("--enable-native-access=ALL-UNNAMED"));
            assertTrue(with - without <= STARTUP_ALLOCATION_BOUND, "agent (" + options + ") start-up allocated "
                    + (with - without) + " bytes of heap over " + without + " without the agent");
        }
    }

    private static long allocatedBeforeMain(ChildJvm jvm) throws Exception {
        ChildResult result = jvm.run().assertExit(0);
        assertEquals(1, result.stdoutLines().size(), result::describe);
        return Long.parseLong(result.stdoutLines().get(0));
    }

    /** With the default flags (no --enable-native-access): the routing is on when premain returns, Emma starts on demand. */
    @Test
    void theFirstDirectBufferOfMainIsEmmasWithTheDefaultFlags() throws Exception {
        ChildResult result = ChildJvm.of(EarlyCoreApp.class).withAgent(null).run().assertExit(0);
        assertEquals(List.of("loader: null", "module: dev.emma.core", "same class from the system loader: true",
                "first direct buffer is Emma's: true", "one global instance: true"), result.stdoutLines(), result::describe);
        assertEquals(List.of(), result.stderrBesidesNativeAccessWarning(), result::describe);
    }

    @Test
    void theBackgroundInstallIsOptIn() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class, "wait").withAgent("install=background")
                .jvm("--enable-native-access=ALL-UNNAMED").run().assertExit(0);
        assertEquals(List.of(HelloApp.LINES[0], HelloApp.LINES[1], HelloApp.LINES[2], "agent mode: emma"), result.stdoutLines(),
                result::describe);
        assertEquals("", result.stderr(), result::describe);
    }
}
