package dev.emma.bench.workload;

import dev.emma.Emma;
import dev.emma.EmmaStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A diagnostic of a workload's peak: called at moments the workload holds its most memory, it
 * keeps, for the moment with the highest RSS, the process's RSS and Emma's resident
 * ({@code mincore}), live and mapped bytes. The rest is the JVM itself (Java heap, code, metaspace,
 * thread stacks, GC structures) and, in the unsafe arm, malloc.
 */
final class PeakBreakdown {
    private final boolean emma;
    private long peakRss;
    private String line = "BREAKDOWN none";

    PeakBreakdown(boolean emma) {
        this.emma = emma;
    }

    /** The breakdown a workload's {@code breakdown=true} asks for, or null (the default: no sampling). */
    static PeakBreakdown ifRequested(Args args) {
        return args.string("breakdown", "false").equals("true")
                ? new PeakBreakdown(args.string("memory", "unsafe").equals("emma")) : null;
    }

    /** Samples now (cheap unless the RSS is a new high). */
    synchronized void sample() {
        long rss = rssBytes();
        if (rss <= peakRss) {
            return;
        }
        peakRss = rss;
        StringBuilder b = new StringBuilder("BREAKDOWN rssMiB=").append(mib(rss));
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

}
