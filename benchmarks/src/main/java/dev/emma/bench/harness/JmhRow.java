package dev.emma.bench.harness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a JMH CSV result, attributed to an allocator configuration.
 *
 * @param config    the configuration it measured ({@code emma-core} for {@code impl=emma} rows)
 * @param benchmark {@code Class.method}, with {@code :metric} for secondary results
 * @param size      the {@code size} parameter, or 0 when the benchmark has none
 */
public record JmhRow(String config, String benchmark, long size, int threads, double score, double error, String unit) {

    /**
     * Parses JMH's {@code -rf csv} output of a run under {@code runConfig}; rows of the Emma core
     * ({@code impl=emma}) are attributed to {@code emma-core}.
     */
    static List<JmhRow> parse(List<String> csvLines, String runConfig) {
        List<JmhRow> rows = new ArrayList<>();
        if (csvLines.isEmpty()) {
            return rows;
        }
        List<String> header = Csv.split(csvLines.getFirst());
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            column.put(header.get(i), i);
        }
        for (String line : csvLines.subList(1, csvLines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = Csv.split(line);
            String impl = field(f, column, "Param: impl");
            String size = field(f, column, "Param: size");
            String name = f.get(column.get("Benchmark"));
            name = name.substring(name.lastIndexOf('.', name.indexOf(':') < 0 ? name.length() : name.indexOf(':')) + 1);
            String config = switch (impl) {
                case "emma" -> AllocatorConfig.EMMA_CORE;
                case "emmacall" -> AllocatorConfig.EMMA_CALL;
                default -> runConfig;
            };
            rows.add(new JmhRow(config,
                    shortClass(f.get(column.get("Benchmark"))) + "." + name,
                    size.isEmpty() ? 0 : Long.parseLong(size),
                    Integer.parseInt(f.get(column.get("Threads"))),
                    number(f.get(column.get("Score"))),
                    number(f.get(column.get("Score Error (99.9%)"))),
                    f.get(column.get("Unit"))));
        }
        return rows;
    }

    /**
     * One row per cell (configuration, benchmark, size, threads, unit) of rows measured in several
     * rounds: the median score (the lower middle of an even count), and as its error half the spread
     * of the rounds' scores. Cells keep the order of their first row.
     */
    static List<JmhRow> medians(List<JmhRow> rows) {
        Map<List<Object>, List<JmhRow>> cells = new LinkedHashMap<>();
        for (JmhRow row : rows) {
            cells.computeIfAbsent(List.of(row.config(), row.benchmark(), row.size(), row.threads(), row.unit()),
                    key -> new ArrayList<>()).add(row);
        }
        List<JmhRow> medians = new ArrayList<>();
        for (List<JmhRow> cell : cells.values()) {
            List<JmhRow> sorted = cell.stream().sorted(Comparator.comparingDouble(JmhRow::score)).toList();
            JmhRow middle = sorted.get((sorted.size() - 1) / 2);
            double spread = sorted.getLast().score() - sorted.getFirst().score();
            medians.add(new JmhRow(middle.config(), middle.benchmark(), middle.size(), middle.threads(), middle.score(),
                    sorted.size() > 1 ? spread / 2 : middle.error(), middle.unit()));
        }
        return medians;
    }

    /** {@code dev.emma.bench.jmh.PairBenchmark.pair1:gc.count} to {@code PairBenchmark}. */
    private static String shortClass(String fullName) {
        int colon = fullName.indexOf(':');
        String method = colon < 0 ? fullName : fullName.substring(0, colon);
        String owner = method.substring(0, method.lastIndexOf('.'));
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    private static String field(List<String> fields, Map<String, Integer> column, String name) {
        Integer index = column.get(name);
        return index == null || index >= fields.size() ? "" : fields.get(index).trim();
    }

    private static double number(String text) {
        return text.isBlank() || text.equals("NaN") ? Double.NaN : Double.parseDouble(text);
    }

    /** Whether this is the primary score (not a {@code :gc...} or group-member line). */
    public boolean primary() {
        return !benchmark.contains(":");
    }
}
