package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.NettyProbe;
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
 * Netty's direct buffers come from Emma, from each of its default allocators, in the three set-ups a
 * service meets: with the README's {@code --enable-native-access=ALL-UNNAMED} (Netty 4.2 then
 * mallocs through an FFM Linker downcall), without it, and on Netty's {@code sun.misc.Unsafe} path.
 */
class NettyBuffersIT {

    private static final Pattern ALLOCATOR = Pattern.compile("allocator (\\S+) buffers=\\d+ bytes=(\\d+) emmaBytes=(\\d+)");

    @ParameterizedTest(name = "Netty {0}, {1}")
    @CsvSource({
            "4.2, native-access", "4.2, no-native-access", "4.2, unsafe",
            "4.1, native-access", "4.1, no-native-access", "4.1, unsafe"})
    void atLeast99PercentOfTheBytesOfEveryDefaultAllocatorAreEmmas(String line, String setUp) throws Exception {
        ChildJvm jvm = ChildJvm.of(NettyProbe.class).withAgent("").jvm("-Xmx256m");
        jars(TestEnvironment.nettyJars(line)).forEach(jvm::classPath);
        switch (setUp) {
            case "native-access" -> jvm.jvm("--enable-native-access=ALL-UNNAMED");
            case "no-native-access" -> { }
            case "unsafe" -> jvm.jvm("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                    "-Dio.netty.noUnsafe=false", "-Dio.netty.tryReflectionSetAccessible=true",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED");
            default -> throw new IllegalArgumentException(setUp);
        }
        ChildResult result = jvm.run().assertExit(0);
        List<String> lines = result.stdoutLines();
        assertTrue(lines.get(0).startsWith("netty " + line), result::describe);
        if (setUp.equals("unsafe")) {
            assertTrue(lines.get(0).contains("unsafe=true"), () -> "Netty did not take its Unsafe path\n" + result.describe());
        }
        long allocators = 0;
        for (String text : lines) {
            Matcher m = ALLOCATOR.matcher(text);
            if (m.matches()) {
                allocators++;
                long bytes = Long.parseLong(m.group(2));
                long emmaBytes = Long.parseLong(m.group(3));
                assertTrue(emmaBytes >= bytes * 0.99, () -> m.group(1) + ": " + emmaBytes + " of " + bytes
                        + " bytes from Emma (" + lines.get(0) + ")\n" + result.describe());
            }
        }
        assertEquals(4, allocators, result::describe);
    }

    private static List<Path> jars(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
