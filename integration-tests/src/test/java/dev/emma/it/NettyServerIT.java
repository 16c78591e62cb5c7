package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.NettyServerApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import dev.emma.it.support.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A Netty 4.2 HTTP server started with the README's command line ({@code -javaagent} and
 * {@code --enable-native-access=ALL-UNNAMED}, nothing that steers Netty) takes its buffers from
 * Emma from its first request: Netty stays on its Linker path (malloc through an FFM downcall, which
 * the agent routes) and at least 99% of the bytes of the buffers it hands the pipeline are Emma's.
 */
class NettyServerIT {

    @Test
    void aNetty42ServerUnderLoadGetsItsBuffersFromEmmaFromItsFirstRequest() throws Exception {
        ChildJvm jvm = ChildJvm.of(NettyServerApp.class, "2000", "8").withAgent("")
                .jvm("--enable-native-access=ALL-UNNAMED", "-Xmx256m");
        jars(TestEnvironment.nettyJars("4.2-server")).forEach(jvm::classPath);
        ChildResult result = jvm.run().assertExit(0);

        Map<String, String> netty = fields(result, "netty");
        assertTrue(netty.get("cleaner").contains("Linker"), () -> "Netty left its Linker path\n" + result.describe());
        Map<String, String> buffers = fields(result, "buffers");
        long bytes = Long.parseLong(buffers.get("bytes"));
        long emmaBytes = Long.parseLong(buffers.get("emmaBytes"));
        assertTrue(Long.parseLong(buffers.get("count")) >= 4000, result::describe);
        assertTrue(emmaBytes >= bytes * 0.99, () -> emmaBytes + " of " + bytes + " bytes from Emma\n" + result.describe());
        Map<String, String> mbean = fields(result, "mbean");
        assertTrue(Double.parseDouble(mbean.get("EmmaShare")) >= 0.99, result::describe);
        assertEquals("0", mbean.get("Fallbacks"), result::describe);
    }

    private static Map<String, String> fields(ChildResult result, String prefix) {
        String line = result.stdoutLines().stream().filter(l -> l.startsWith(prefix + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' line\n" + result.describe()));
        Map<String, String> fields = new HashMap<>();
        for (String part : line.substring(prefix.length() + 1).split(" ")) {
            String[] kv = part.split("=", 2);
            fields.put(kv[0], kv[1]);
        }
        return fields;
    }

    private static List<Path> jars(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
