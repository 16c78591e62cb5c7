package dev.emma.it.app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a JFR recording on itself with {@code jcmd <pid> JFR.start} once running (no JFR option at
 * launch, no JMX), allocates direct buffers from {@link #allocate}, waits out the Emma event's
 * period, stops the recording into {@code args[0]} with {@code jcmd JFR.stop}, and prints PASS.
 */
public final class JfrLaterApp {

    public static final int BUFFERS = 32;
    public static final int BLOCK = 256 * 1024;
    private static final List<ByteBuffer> LIVE = new ArrayList<>();

    private JfrLaterApp() {
    }

    public static void main(String[] args) throws Exception {
        jcmd("JFR.start", "name=later");
        allocate();
        Thread.sleep(1500); // dev.emma.Allocator is periodic, 1 s
        jcmd("JFR.stop", "name=later", "filename=" + Path.of(args[0]).toAbsolutePath());
        System.out.println("PASS " + LIVE.size() + " buffers");
    }

    private static void allocate() {
        for (int i = 0; i < BUFFERS; i++) {
            LIVE.add(ByteBuffer.allocateDirect(BLOCK));
        }
    }

    private static void jcmd(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(ProcessHandle.current().pid())));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || !output.contains("ecording")) {
            throw new IllegalStateException(line + " answered " + process.exitValue() + ": " + output);
        }
    }
}
