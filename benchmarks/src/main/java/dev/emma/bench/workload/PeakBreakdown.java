package dev.emma.bench.workload;

import dev.emma.Emma;
import dev.emma.EmmaStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A diagnostic of a workload's peak: called at moments the workload holds its most memory, it
 * keeps, for the moment with the highest RSS, what the process's RSS was made of: the Java heap's
 * resident bytes (its reserved mapping in {@code /proc/self/smaps}, the one as large as
 * {@code -Xmx}) and Emma's resident ({@code mincore}), live and mapped bytes. The rest is the JVM
 * itself (code, metaspace, thread stacks, GC structures) and, in the unsafe arm, malloc.
 */
final class PeakBreakdown {
    private final boolean emma;
    private long peakRss;
    private String line = "BREAKDOWN none";

    PeakBreakdown(boolean emma) {
        this.emma = emma;
    }

    /** Samples now (cheap unless the RSS is a new high). */
    synchronized void sample() {
        long rss = rssBytes();
        if (rss <= peakRss) {
            return;
        }
        peakRss = rss;
        StringBuilder b = new StringBuilder("BREAKDOWN rssMiB=").append(mib(rss))
                .append(" javaHeapRssMiB=").append(mib(javaHeapRss()));
        if (emma) {
            Emma e = Emma.global();
            EmmaStats stats = e.stats();
            b.append(" emmaResidentMiB=").append(mib(e.residentBytes()))
                    .append(" emmaLiveMiB=").append(mib(stats.liveBytes()))
                    .append(" emmaMappedMiB=").append(mib(stats.mappedBytes()))
                    .append(" heaps=").append(stats.heaps());
        }
        line = b.toString();
    }

    synchronized void print() {
        System.out.println(line);
    }

    private static String mib(long bytes) {
        return String.format("%.1f", bytes / 1048576.0);
    }

    private static long rssBytes() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Rss of the Java heap: the mappings inside the range reserved for it, which starts with an
     * anonymous mapping of -Xmx less at most 8 MiB (not the code cache, 240 MiB reserved) (G1 reserves -Xmx; the kernel may show it as
     * a few mappings when parts differ in flags).
     */
    private static long javaHeapRss() {
        long max = Runtime.getRuntime().maxMemory();
        long heapStart = -1;
        long rss = 0;
        long start = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                if (Character.isLetterOrDigit(l.charAt(0)) && l.indexOf('-') > 0 && l.indexOf(' ') > l.indexOf('-')
                        && !l.contains(":")) {
                    start = Long.parseUnsignedLong(l.substring(0, l.indexOf('-')), 16);
                } else if (l.startsWith("Size:") && heapStart < 0 && kb(l) * 1024 >= max - (8 << 20) && kb(l) * 1024 <= max) {
                    heapStart = start;
                } else if (l.startsWith("Rss:") && heapStart >= 0 && start >= heapStart && start < heapStart + max) {
                    rss += kb(l) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return rss;
    }

    private static long kb(String smapsLine) {
        return Long.parseLong(smapsLine.replaceAll("[^0-9]", ""));
    }
}
