package dev.emma.bench.report;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Median and range of repeated measurements; NaNs (failed runs) are left out. */
public record Spread(double median, double min, double max, int count) {

    public static Spread of(Collection<Double> values) {
        List<Double> sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        if (sorted.isEmpty()) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.getFirst(), sorted.getLast(), n);
    }

    public boolean empty() {
        return count == 0;
    }

    /** {@code median (min–max)} with {@code pattern} for each number (just the median when min and max print alike), or a dash when empty. */
    public String format(String pattern) {
        if (empty()) {
            return "—";
        }
        String median = String.format(Locale.ROOT, pattern, this.median);
        String low = String.format(Locale.ROOT, pattern, min);
        String high = String.format(Locale.ROOT, pattern, max);
        return low.equals(high) ? median : median + " (" + low + "–" + high + ")"; // a range only where there is one
    }
}
