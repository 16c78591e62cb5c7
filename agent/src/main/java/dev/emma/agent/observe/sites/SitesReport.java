package dev.emma.agent.observe.sites;

import dev.emma.agent.observe.Bytes;
import java.util.List;
import java.util.Locale;

/**
 * The sites table as text: one line per site, live bytes first (what {@code topSites} and the exit
 * report show).
 *
 * <pre>
 * top 2 allocation sites by live off-heap bytes (estimates from 412 samples, one per 256.0 KiB on average now; 37 sites seen; 64 samples live, 0 lost)
 *       live   allocated  route   native  site
 *   16.0 MiB    16.0 MiB  direct      0%  com.example.Pool.newChunk(Pool.java:42) &lt;- com.example.Pool.allocate(Pool.java:30) &lt;- ...
 * </pre>
 */
final class SitesReport {

    private SitesReport() {
    }

    static String text(List<SiteRow> rows, int asked, int sitesSeen, long interval, long samples, int liveSamples, long lost) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "top %d allocation sites by live off-heap bytes (estimates from %,d samples, one per %s"
                + " on average now; %,d sites seen; %,d samples live, %,d lost)\n", asked, samples, Bytes.format(interval), sitesSeen,
                liveSamples, lost));
        text.append(String.format(Locale.ROOT, "%10s  %10s  %-6s  %6s  %s\n", "live", "allocated", "route", "native", "site"));
        for (SiteRow row : rows) {
            text.append(String.format(Locale.ROOT, "%10s  %10s  %-6s  %5.0f%%  %s\n", Bytes.format(row.liveBytes()),
                    Bytes.format(row.allocatedBytes()), row.site().route(), row.nativeShare() * 100, row.site().describe()));
        }
        if (rows.isEmpty()) {
            text.append("(no allocation sampled yet)\n");
        }
        return text.toString();
    }
}
