package dev.emma.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Resident memory of a process as Linux reports it in {@code /proc/<pid>/status}: {@code VmRSS}
 * (resident now) and {@code VmHWM} (the peak resident size, kept by the kernel, so a peak between
 * two samples is not missed).
 */
public record ProcStatus(long rssBytes, long hwmBytes) {

    /** The status of {@code pid}, or empty once the process is gone. */
    public static java.util.Optional<ProcStatus> read(long pid) {
        try {
            return java.util.Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "status"))));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The status of this JVM. */
    public static ProcStatus self() {
        return read(ProcessHandle.current().pid())
                .orElseThrow(() -> new IllegalStateException("cannot read /proc/self/status"));
    }

    /**
     * The status of this JVM, read with plain {@code java.io} into an 8 KiB array: no NIO, whose
     * temporary native buffer (the JDK's internal Unsafe) would, under the agent, start Emma and
     * add its start-up to the agent's idle footprint (seen with the agent's {@code summary}: a
     * {@link #self()} read made Emma serve 8 KiB of JDK-internal allocations at once).
     */
    public static ProcStatus selfWithoutDirectBuffer() throws IOException {
        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/self/status")) {
            byte[] buffer = new byte[8192]; // at most 8 KiB per read: the JDK reads into its stack, not malloc
            StringBuilder text = new StringBuilder();
            for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
                text.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.US_ASCII));
            }
            return parse(text.toString());
        }
    }

    static ProcStatus parse(String status) {
        return new ProcStatus(kibField(status, "VmRSS").orElseThrow() * 1024, kibField(status, "VmHWM").orElseThrow() * 1024);
    }

    /** The value of a {@code Name:   123 kB} line, in KiB. */
    static OptionalLong kibField(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                String value = line.substring(name.length() + 1).trim();
                int space = value.indexOf(' ');
                return OptionalLong.of(Long.parseLong(space < 0 ? value : value.substring(0, space)));
            }
        }
        return OptionalLong.empty();
    }
}
