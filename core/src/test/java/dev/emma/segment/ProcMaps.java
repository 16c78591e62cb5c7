package dev.emma.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's own view of this process's mappings (/proc/self/maps), for tests. */
public final class ProcMaps {
    private ProcMaps() {
    }

    /** One line: the mapping (VMA) {@code [start, end)} and its permissions, e.g. {@code rw-p}. */
    public record Vma(long start, long end, String perms) {
    }

    /** The VMA holding {@code address}, or null where nothing is mapped. */
    public static Vma at(long address) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int dash = line.indexOf('-');
                int space = line.indexOf(' ');
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                    return new Vma(start, end, line.substring(space + 1, space + 5));
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The permissions of the VMA holding {@code address}, or "unmapped". */
    public static String perms(long address) {
        Vma vma = at(address);
        return vma == null ? "unmapped" : vma.perms();
    }
}
