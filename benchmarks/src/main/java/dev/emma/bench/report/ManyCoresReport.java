package dev.emma.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown tables of a run of {@code benchmarks/many-cores.sh} (its {@code results.txt} and
 * {@code jmh.csv}), for the many-core section of docs/benchmarks.md: pairs and batches per thread
 * count for every arm with the ratios the targets name, JMH producer/consumer, the workloads'
 * throughput and peak RSS (median of the rounds), and the race probe's counts.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.emma.bench.report.ManyCoresReport DIR}.
 */
public final class ManyCoresReport {

    private static final Pattern WORKLOAD = Pattern.compile("^(\\w+) (\\w+) (.*?) :: RESULT (.*)$");
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

    /** Score by arm, benchmark, threads and size. */
    private final Map<String, Double> scores = new LinkedHashMap<>();
    private final TreeSet<Integer> threads = new TreeSet<>();
    private final TreeSet<Integer> sizes = new TreeSet<>();
    /** Per workload, per arm: throughputs and peak RSS of the rounds. */
    private final Map<String, Map<String, List<double[]>>> workloads = new LinkedHashMap<>();
    private final List<String> probe = new ArrayList<>();
    private final List<String> machine = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ManyCoresReport DIR   (DIR holds results.txt and jmh.csv of benchmarks/many-cores.sh)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        System.out.print(read(Files.readAllLines(dir.resolve("results.txt")), Files.readAllLines(dir.resolve("jmh.csv"))).markdown());
    }

    static ManyCoresReport read(List<String> results, List<String> jmhCsv) {
        ManyCoresReport report = new ManyCoresReport();
        String section = "";
        for (String line : results) {
            if (line.startsWith("== ")) {
                section = line.substring(3);
                continue;
            }
            switch (section) {
                case "machine" -> report.machine.add(line.trim());
                case "probe" -> report.probe.add(line.replaceFirst("^probe ", ""));
                default -> report.workload(line);
            }
        }
        for (String line : jmhCsv.subList(Math.min(1, jmhCsv.size()), jmhCsv.size())) {
            String[] f = line.replace("\"", "").split(",");
            if (f.length < 10) {
                continue;
            }
            String arm = f[0].equals("glibc") && f[8].equals("emma") ? "core" : f[0];
            String benchmark = f[1].substring(f[1].lastIndexOf('.', f[1].lastIndexOf('.') - 1) + 1);
            int t = Integer.parseInt(f[3]);
            int size = Integer.parseInt(f[9]);
            report.scores.put(key(arm, benchmark, t, size), Double.parseDouble(f[5]));
            if (benchmark.startsWith("PairBenchmark")) {
                report.threads.add(t);
            }
            report.sizes.add(size);
        }
        return report;
    }

    private void workload(String line) {
        Matcher m = WORKLOAD.matcher(line);
        if (!m.matches()) {
            return;
        }
        Map<String, String> fields = new TreeMap<>();
        Matcher f = FIELD.matcher(m.group(4));
        while (f.find()) {
            fields.put(f.group(1), f.group(2));
        }
        String name = m.group(1) + " " + m.group(3).replaceAll(" ?seconds=\\S+", "");
        workloads.computeIfAbsent(name, k -> new LinkedHashMap<>()).computeIfAbsent(m.group(2), k -> new ArrayList<>())
                .add(new double[] {Double.parseDouble(fields.get("throughput")), Double.parseDouble(fields.get("peakRssBytes"))});
    }

    private static String key(String arm, String benchmark, int threads, int size) {
        return arm + "|" + benchmark + "|" + threads + "|" + size;
    }

    private double score(String arm, String benchmark, int t, int size) {
        return scores.getOrDefault(key(arm, benchmark, t, size), Double.NaN);
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("Machine: ").append(String.join("; ", machine)).append("\n\n");
        out.append("Allocate+free pairs (`PairBenchmark.pair1`, ops/µs summed over threads):\n\n")
                .append("| size | threads | no agent (glibc) | jemalloc | mimalloc | passthrough | emma (agent) | core | agent / core | passthrough / no agent | core / best native |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        String pair = "PairBenchmark.pair1";
        for (int size : sizes) {
            for (int t : threads) {
                double glibc = score("glibc", pair, t, size);
                if (Double.isNaN(glibc)) {
                    continue;
                }
                double best = Math.max(glibc, Math.max(nanToZero(score("jemalloc", pair, t, size)), nanToZero(score("mimalloc", pair, t, size))));
                double core = score("core", pair, t, size);
                double agent = score("agent", pair, t, size);
                double passthrough = score("passthrough", pair, t, size);
                out.append(row(Format.size(size), Integer.toString(t), num(glibc), num(score("jemalloc", pair, t, size)),
                        num(score("mimalloc", pair, t, size)), num(passthrough), num(agent), num(core),
                        ratio(agent / core), ratio(passthrough / glibc), ratio(core / best)));
            }
        }
        String batch = "BatchBenchmark.batch1";
        out.append("\nBatches (`BatchBenchmark.batch1`: allocate a batch, free it; ops/µs summed over threads):\n\n")
                .append("| size | threads | no agent (glibc) | passthrough | emma (agent) | core | agent / core | passthrough / no agent |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (int size : sizes) {
            for (int t : threads) {
                double glibc = score("glibc", batch, t, size);
                if (Double.isNaN(glibc)) {
                    continue;
                }
                double core = score("core", batch, t, size);
                double agent = score("agent", batch, t, size);
                double passthrough = score("passthrough", batch, t, size);
                out.append(row(Format.size(size), Integer.toString(t), num(glibc), num(passthrough), num(agent), num(core),
                        ratio(agent / core), ratio(passthrough / glibc)));
            }
        }
        String handoff = "ProducerConsumerBenchmark.handoff";
        out.append("\nProducer/consumer, one pair (`ProducerConsumerBenchmark.handoff`, blocks/µs; every free cross-thread):\n\n")
                .append("| size | glibc | jemalloc | mimalloc | emma (agent) | core | core / best native |\n|---|---|---|---|---|---|---|\n");
        for (int size : sizes) {
            double glibc = score("glibc", handoff, 2, size);
            if (Double.isNaN(glibc)) {
                continue;
            }
            double best = Math.max(glibc, Math.max(nanToZero(score("jemalloc", handoff, 2, size)), nanToZero(score("mimalloc", handoff, 2, size))));
            double core = score("core", handoff, 2, size);
            out.append(row(Format.size(size), num(glibc), num(score("jemalloc", handoff, 2, size)), num(score("mimalloc", handoff, 2, size)),
                    num(score("agent", handoff, 2, size)), num(core), ratio(core / best)));
        }
        out.append("\nWorkloads (median of the rounds; throughput in the workload's unit, peak RSS in MiB):\n\n")
                .append("| workload | glibc | jemalloc | mimalloc | emma (agent) | core | core / best native | core peak RSS / min(glibc, jemalloc) |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (var e : workloads.entrySet()) {
            Map<String, List<double[]>> arms = e.getValue();
            List<String> cells = new ArrayList<>(List.of(e.getKey()));
            for (String arm : List.of("glibc", "jemalloc", "mimalloc", "agent", "core")) {
                cells.add(arms.containsKey(arm) ? Format.number(median(arms.get(arm), 0)) + " / " + Format.mib(median(arms.get(arm), 1)) : "—");
            }
            double best = Math.max(median(arms.get("glibc"), 0), Math.max(median(arms.get("jemalloc"), 0), median(arms.get("mimalloc"), 0)));
            double minRss = Math.min(median(arms.get("glibc"), 1), median(arms.get("jemalloc"), 1));
            cells.add(ratio(median(arms.get("core"), 0) / best));
            cells.add(ratio(median(arms.get("core"), 1) / minRss));
            out.append(row(cells.toArray(String[]::new)));
        }
        if (!probe.isEmpty()) {
            out.append("\nRace probe (short runs at full thread count; a failure is any non-zero exit):\n\n");
            probe.forEach(p -> out.append("- ").append(p).append('\n'));
        }
        return out.toString();
    }

    private static double median(List<double[]> runs, int column) {
        if (runs == null || runs.isEmpty()) {
            return Double.NaN;
        }
        double[] values = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double nanToZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private static String num(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "—" : String.format(Locale.ROOT, "%.2f×", value);
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
