package dev.emma.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The facts printed beside every result: without them numbers from two machines get compared. */
public final class MachineFacts {

    private MachineFacts() {
    }

    public static Map<String, String> collect() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
        facts.put("cpu", cpuModel());
        facts.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        facts.put("memory", memTotal());
        facts.put("kernel", firstLine(Path.of("/proc/sys/kernel/osrelease")));
        facts.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        facts.put("glibc", command("ldd", "--version").lines().findFirst().orElse("?"));
        facts.put("jemalloc", command("dpkg-query", "-W", "-f=${Version}", "libjemalloc2"));
        facts.put("mimalloc", command("dpkg-query", "-W", "-f=${Version}", "libmimalloc2.0"));
        facts.put("wrk", command("dpkg-query", "-W", "-f=${Version}", "wrk"));
        return facts;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal"))
                    .map(l -> {
                        long kib = Long.parseLong(l.replaceAll("\\D", ""));
                        return String.format(java.util.Locale.ROOT, "%.1f GiB", kib / 1048576.0);
                    })
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String firstLine(Path file) {
        try {
            return Files.readAllLines(file).getFirst().trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String command(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            process.waitFor(10, TimeUnit.SECONDS);
            return process.exitValue() == 0 && !out.isEmpty() ? out : "not installed";
        } catch (IOException | InterruptedException | IllegalThreadStateException e) {
            return "?";
        }
    }
}
