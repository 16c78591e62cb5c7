package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.EarlyCoreApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import dev.emma.it.support.TestEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The fallback: a JDK whose classes fit none of the jar's stored patches. Simulated with a copy of
 * the agent jar that has no patches at all, so that every target is woven by the agent's Byte
 * Buddy, which the jar nests as a jar of its own and opens only then.
 */
class FallbackWeavingIT {

    private static final String PATCHES = "META-INF/emma-patches/";
    private static final String WEAVER = "META-INF/emma/weaver.jar";

    @Test
    void withoutStoredPatchesTheNestedByteBuddyWeavesAndEmmaServesQuietly() throws Exception {
        Path scratch = ChildJvm.scratch("fallback");
        Path agent = withoutPatches(TestEnvironment.agentJar(), scratch.resolve("emma-agent.jar"));
        Path log = scratch.resolve("classes.log");
        ChildResult result = ChildJvm.of(EarlyCoreApp.class).jvm("-javaagent:" + agent, "--enable-native-access=ALL-UNNAMED",
                "-Xlog:class+load=info:file=" + log).run().assertExit(0);
        assertEquals(List.of("loader: null", "module: dev.emma.core", "same class from the system loader: true",
                "first direct buffer is Emma's: true", "one global instance: true"), result.stdoutLines(), result::describe);
        assertEquals("", result.stderr(), result::describe);
        List<String> byteBuddy = Files.readAllLines(log).stream()
                .filter(line -> line.contains(" dev.emma.agent.shaded.bytebuddy.")).toList();
        assertTrue(byteBuddy.size() > 50, byteBuddy.size() + " classes of Byte Buddy loaded: the fallback did not run");
        // its classes come from the nested jar's temporary copy (its lambdas name their class as source)
        assertTrue(byteBuddy.stream().anyMatch(line -> line.contains("source: file:") && line.contains("emma-weaver-")), byteBuddy.get(0));
        assertEquals(List.of(), byteBuddy.stream().filter(line -> line.contains("emma-agent.jar")).toList());
    }

    /** The JVM scans the agent jar's entries at start-up: Byte Buddy's 3,000-odd classes are one nested entry. */
    @Test
    void theAgentJarNestsByteBuddyInOneStoredEntry() throws Exception {
        try (ZipFile jar = new ZipFile(TestEnvironment.agentJar().toFile())) {
            assertTrue(jar.size() < 300, jar.size() + " entries in the agent jar");
            assertEquals(List.of(), jar.stream().map(ZipEntry::getName).filter(name -> name.startsWith("dev/emma/agent/shaded/")).toList());
            ZipEntry nested = jar.getEntry(WEAVER);
            assertEquals(ZipEntry.STORED, nested.getMethod(), WEAVER + " is compressed");
            try (ZipInputStream in = new ZipInputStream(jar.getInputStream(nested))) {
                int byteBuddy = 0;
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    if (entry.getName().startsWith("dev/emma/agent/shaded/bytebuddy/")) {
                        byteBuddy++;
                    }
                }
                assertTrue(byteBuddy > 1000, byteBuddy + " entries of the relocated Byte Buddy in " + WEAVER);
            }
        }
    }

    /** The agent jar as built, its stored patches left out (the nested jar copied as it is, stored). */
    private static Path withoutPatches(Path jar, Path copy) throws IOException {
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            int left = 0;
            for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().startsWith(PATCHES)) {
                    left++;
                    continue;
                }
                ZipEntry same = new ZipEntry(entry.getName());
                if (entry.getMethod() == ZipEntry.STORED) {
                    same.setMethod(ZipEntry.STORED);
                    same.setSize(entry.getSize());
                    same.setCompressedSize(entry.getSize());
                    same.setCrc(entry.getCrc());
                }
                out.putNextEntry(same);
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            assertTrue(left > 0, "the agent jar has no " + PATCHES);
        }
        return copy;
    }
}
