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
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The fallback: a JDK whose classes fit none of the jar's stored patches. Simulated with a copy of
 * the agent jar that has no patches at all, so that every target is woven by the agent's Byte
 * Buddy, which the jar nests as a jar of its own and opens only then.
 */
class FallbackWeavingIT {

    private static final String PATCHES = "META-INF/emma-patches/";

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
        assertTrue(byteBuddy.stream().allMatch(line -> line.contains("emma-weaver-")), "Byte Buddy not from the nested jar: " + byteBuddy.get(0));
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
