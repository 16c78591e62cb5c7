package dev.emma.bench.report;

import dev.emma.bench.harness.AllocatorConfig;
import dev.emma.bench.harness.JmhRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JMH rows as one table: a line per benchmark and size, a column per allocator, each cell the
 * score and its ratio to glibc; and the same for {@code gc.alloc.rate.norm} (bytes per operation).
 */
final class JmhTable {

    private static final String NORM = ":gc.alloc.rate.norm";

    /** A benchmark and size: one table line. */
    record Key(String benchmark, long size, int threads, String unit) {
        String label() {
            return switch (benchmark) {
                case "PairBenchmark.pair1" -> "allocate+free pair, 1 thread";
                case "ThreadedPairBenchmark.pair2" -> "allocate+free pair, 2 threads";
                case "ThreadedPairBenchmark.pair4" -> "allocate+free pair, 4 threads";
                case "BatchBenchmark.batch1" -> "64 allocations then 64 frees (per pair)";
                case "ReallocBenchmark.growTo1MiB" -> "realloc growth 16 B → 1 MiB (per growth)";
                case "ReallocBenchmark.growMany" -> "realloc, 256 buffers grown 16 B → 32 KiB (per step)";
                case "ProducerConsumerBenchmark.handoff:producer" -> "producer/consumer, freed by the other thread";
                case "DirectBufferBenchmark.allocateDirect1" -> "allocateDirect + invokeCleaner";
                default -> benchmark + (threads > 1 ? ", " + threads + " threads" : "");
            };
        }
    }

    private final List<JmhRow> rows;
    private final List<AllocatorConfig> configs;

    JmhTable(List<JmhRow> rows, List<AllocatorConfig> configs) {
        this.rows = rows;
        this.configs = configs;
    }

    /** Lines in the order JMH produced them: primary scores, and the producer side of the hand-off group. */
    List<Key> keys() {
        Map<Key, Boolean> keys = new LinkedHashMap<>();
        for (JmhRow row : rows) {
            if (row.primary() && !row.benchmark().endsWith(".handoff") || row.benchmark().endsWith(":producer")) {
                keys.put(new Key(row.benchmark(), row.size(), row.threads(), row.unit()), true);
            }
        }
        return new ArrayList<>(keys.keySet());
    }

    Optional<JmhRow> find(Key key, String config, String suffix) {
        String benchmark = suffix.isEmpty() ? key.benchmark() : key.benchmark().replace(":producer", "") + suffix;
        return rows.stream().filter(r -> r.config().equals(config) && r.benchmark().equals(benchmark) && r.size() == key.size())
                .findFirst();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("| benchmark | size | unit |");
        configs.forEach(c -> md.append(' ').append(c.label()).append(" |"));
        md.append("\n|---|---:|---|");
        configs.forEach(c -> md.append("---:|"));
        md.append('\n');
        for (Key key : keys()) {
            md.append("| ").append(key.label()).append(" | ").append(Format.size(key.size())).append(" | ")
                    .append(key.unit().replace("ops/us", "Mops/s").replace("ops/ms", "kops/s")).append(" |");
            Optional<JmhRow> glibc = find(key, AllocatorConfig.GLIBC, "");
            for (AllocatorConfig config : configs) {
                Optional<JmhRow> row = find(key, config.id(), "");
                md.append(' ').append(row.map(r -> cell(r, glibc)).orElse("—")).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Bytes allocated on the Java heap per operation, from {@code -prof gc}. */
    String allocationMarkdown() {
        StringBuilder md = new StringBuilder("| benchmark | size |");
        configs.forEach(c -> md.append(' ').append(c.label()).append(" |"));
        md.append("\n|---|---:|");
        configs.forEach(c -> md.append("---:|"));
        md.append('\n');
        for (Key key : keys()) {
            md.append("| ").append(key.label()).append(" | ").append(Format.size(key.size())).append(" |");
            for (AllocatorConfig config : configs) {
                Optional<JmhRow> row = find(key, config.id(), NORM); // for the hand-off group: per op of both sides
                md.append(' ').append(row.map(r -> String.format(Locale.ROOT, "%.3f", r.score())).orElse("—")).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String cell(JmhRow row, Optional<JmhRow> glibc) {
        String score = Format.number(row.score()) + (Double.isNaN(row.error()) ? "" : " ± " + Format.number(row.error()));
        return glibc.filter(g -> g != row).map(g -> score + " · **" + Format.ratio(row.score() / g.score()) + "**").orElse(score);
    }
}
