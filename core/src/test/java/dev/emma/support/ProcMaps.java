package dev.emma.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** This process's mappings, from {@code /proc/self/smaps}: an observer independent of Emma. */
public final class ProcMaps {

    /** One mapping: {@code [start, end)}, its resident kilobytes and its name (may be empty). */
    public record Mapping(long start, long end, long rssKiB, String name) {
        public boolean contains(long address) {
            return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
        }
    }

    private ProcMaps() {
    }

    public static List<Mapping> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/smaps", e);
        }
        List<Mapping> mappings = new ArrayList<>();
        long start = -1;
        long end = -1;
        String name = "";
        for (String line : lines) {
            if (isHeader(line)) {
                if (start >= 0) {
                    mappings.add(new Mapping(start, end, -1, name)); // replaced when its Rss line comes
                }
                String[] fields = line.trim().split("\\s+", 6);
                String[] range = fields[0].split("-");
                start = Long.parseUnsignedLong(range[0], 16);
                end = Long.parseUnsignedLong(range[1], 16);
                name = fields.length > 5 ? fields[5] : "";
            } else if (line.startsWith("Rss:") && start >= 0) {
                long kib = Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
                mappings.add(new Mapping(start, end, kib, name));
                start = -1;
            }
        }
        if (start >= 0) {
            mappings.add(new Mapping(start, end, 0, name));
        }
        return mappings;
    }

    private static boolean isHeader(String line) {
        int dash = line.indexOf('-');
        int space = line.indexOf(' ');
        if (dash <= 0 || space <= dash) {
            return false;
        }
        for (int i = 0; i < space; i++) {
            char c = line.charAt(i);
            if (c != '-' && Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    public static boolean mapped(List<Mapping> mappings, long address) {
        for (Mapping m : mappings) {
            if (m.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
