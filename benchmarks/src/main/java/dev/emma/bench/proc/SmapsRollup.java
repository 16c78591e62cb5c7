package dev.emma.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Anonymous resident memory of a process, the {@code Anonymous:} line of
 * {@code /proc/<pid>/smaps_rollup}: heap, thread stacks, malloc's and Emma's pages, without the
 * mapped jar and library files. Exact (the kernel walks the page tables), unlike the
 * {@code RssAnon} of {@code status}, which per-CPU counters may lag.
 */
public final class SmapsRollup {

    private SmapsRollup() {
    }

    /** Anonymous resident bytes of {@code pid}, or empty once the process is gone (or on a kernel before 4.14). */
    public static OptionalLong anonymousBytes(long pid) {
        try {
            return parseAnonymous(Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup")));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong parseAnonymous(String rollup) {
        OptionalLong kib = ProcStatus.kibField(rollup, "Anonymous");
        return kib.isPresent() ? OptionalLong.of(kib.getAsLong() * 1024) : kib;
    }
}
