package dev.emma.bench.report;

import java.util.Locale;

/** Number formats shared by the tables. */
final class Format {

    private Format() {
    }

    static String size(long bytes) {
        if (bytes == 0) {
            return "—";
        }
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    /** Three significant digits, thousands separated. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        double abs = Math.abs(value);
        String pattern = abs >= 100 ? "%,.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    static String ratio(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.2f×", value);
    }

    static String mib(double bytes) {
        return Double.isNaN(bytes) ? "—" : String.format(Locale.ROOT, "%,.0f", bytes / 1048576.0);
    }
}
