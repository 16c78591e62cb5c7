package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.ShareApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Never silent: when Emma does not serve, the operator sees it. The first fallback to the native
 * allocator is one WARNING with its cause; every fallback is counted once; {@code EmmaShare},
 * {@code EmmaBytes} and {@code NativeBytes} agree with what the application saw.
 */
class ShareIT {

    private static final long SIZE = 2 << 20;

    @Test
    void theFirstFallbackIsAWarningWithItsCauseAndEachFallbackCountsOnce() throws Exception {
        ChildResult result = withCap();
        Map<String, String> app = fields(result, "app");
        Map<String, String> mbean = fields(result, "mbean");
        long nativeBuffers = Long.parseLong(app.get("nativeBuffers"));
        // the cap also holds the segments of Emma's small blocks (the JDK's own, from premain on)
        assertTrue(nativeBuffers >= 10 && Long.parseLong(app.get("emmaBuffers")) >= 3, result::describe);
        assertEquals(nativeBuffers, Long.parseLong(mbean.get("Fallbacks")), () -> "one count per fallback\n" + result.describe());

        List<String> warnings = result.stderrLines().stream().filter(l -> l.contains("first fallback")).toList();
        assertEquals(1, warnings.size(), result::describe);
        assertTrue(warnings.get(0).startsWith("WARNING: emma-agent: Emma could not allocate " + SIZE + " bytes"), warnings.get(0));
        assertTrue(result.stderr().contains("OutOfMemoryError"), () -> "the cause is not shown\n" + result.describe());
        assertTrue(result.stderrLines().stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("first fallback"))
                && result.stderrLines().stream().filter(l -> l.startsWith("WARNING:")).filter(l -> l.contains("emma-agent")).count() == 1,
                () -> "later fallbacks must only be counted\n" + result.describe());
    }

    @Test
    void theShareFiguresMatchWhatTheApplicationSaw() throws Exception {
        ChildResult result = withCap();
        Map<String, String> app = fields(result, "app");
        Map<String, String> mbean = fields(result, "mbean");
        long appEmma = Long.parseLong(app.get("emmaBytes"));
        long appNative = Long.parseLong(app.get("nativeBytes"));
        long emmaBytes = Long.parseLong(mbean.get("EmmaBytes"));
        long nativeBytes = Long.parseLong(mbean.get("NativeBytes"));
        double share = Double.parseDouble(mbean.get("EmmaShare"));
        // The JVM allocates a little besides the buffers (JDK start-up, JMX): a few hundred KiB at most.
        assertTrue(emmaBytes >= appEmma && emmaBytes <= appEmma + (1 << 20), () -> "EmmaBytes " + emmaBytes + "\n" + result.describe());
        assertTrue(nativeBytes >= appNative && nativeBytes <= appNative + (1 << 20), () -> "NativeBytes " + nativeBytes + "\n" + result.describe());
        assertEquals((double) emmaBytes / (emmaBytes + nativeBytes), share, 1e-9);
        assertEquals((double) appEmma / (appEmma + appNative), share, 0.02);
    }

    @Test
    void passthroughSharesNothingAndCountsItsNativeBytes() throws Exception {
        ChildResult result = ChildJvm.of(ShareApp.class, "10").withAgent("mode=passthrough")
                .jvm("--enable-native-access=ALL-UNNAMED").run().assertExit(0);
        Map<String, String> mbean = fields(result, "mbean");
        assertEquals(0.0, Double.parseDouble(mbean.get("EmmaShare")), result::describe);
        assertEquals(0, Long.parseLong(mbean.get("EmmaBytes")));
        long nativeBytes = Long.parseLong(mbean.get("NativeBytes"));
        // 2 MiB blocks are always in passthrough's sample: counted exactly, plus what the JVM allocated itself
        assertTrue(nativeBytes >= 10 * SIZE && nativeBytes <= 10 * SIZE + (4 << 20), () -> nativeBytes + "\n" + result.describe());
    }

    /** 20 buffers of 2 MiB under a 16 MiB cap: Emma serves the first ones (each mapped on its own), the rest fall back. */
    private static ChildResult withCap() throws Exception {
        return ChildJvm.of(ShareApp.class, "20").withAgent("maxMappedBytes=16m").jvm("--enable-native-access=ALL-UNNAMED")
                .run().assertExit(0);
    }

    /** The {@code key=value} fields of the stdout line that starts with {@code prefix}. */
    private static Map<String, String> fields(ChildResult result, String prefix) {
        String line = result.stdoutLines().stream().filter(l -> l.startsWith(prefix + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' line\n" + result.describe()));
        Map<String, String> fields = new HashMap<>();
        for (String part : line.substring(prefix.length() + 1).split(" ")) {
            int equals = part.indexOf('=');
            fields.put(part.substring(0, equals), part.substring(equals + 1));
        }
        return fields;
    }
}
