package dev.emma.stress;

import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;
import org.openjdk.jcstress.infra.grading.TestGrading;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Runs jcstress with the given options (jcstress' own: {@code -m}, {@code -t}, {@code -time},
 * {@code -iters}, ...), then exits non-zero unless every selected test ran, got samples and passed:
 * no error, no forbidden or unknown outcome. (jcstress 0.16 throws at the end of a run with failures,
 * but says nothing of a test that matched and never ran.) Ends with one line per test: its samples
 * and its outcomes with their counts, the figures a report quotes.
 */
public final class RunJcstress {
    private RunJcstress() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        if (!options.parse()) {
            System.exit(2);
        }
        System.out.println("JVM: " + System.getProperty("java.home") + " (" + Runtime.version() + ")");
        JCStress jcstress = new JCStress(options);
        SortedSet<String> selected = jcstress.getTests();
        long start = System.nanoTime();
        try {
            jcstress.run();
        } catch (AssertionError e) {
            // jcstress' "TEST FAILURES", already printed with the results: summarised below.
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(options.getResultFile(), collector);
        reader.dump();
        reader.close();

        List<String> failures = new ArrayList<>();
        Map<String, TestResult> byName = new TreeMap<>();
        for (TestResult r : ReportUtils.mergedByName(collector.getTestResults())) {
            byName.put(r.getName(), r);
        }
        System.out.println();
        System.out.println("Emma jcstress summary (" + seconds + " s):");
        for (String test : selected) {
            TestResult r = byName.get(test);
            if (r == null) {
                failures.add(test + ": did not run");
                continue;
            }
            TestGrading grading = r.grading();
            StringBuilder outcomes = new StringBuilder();
            for (String key : r.getStateKeys()) {
                outcomes.append(" [").append(key).append("]=").append(r.getCount(key));
            }
            System.out.println("  " + shortName(test) + ": " + r.getTotalCount() + " samples," + outcomes);
            if (r.status() != Status.NORMAL) {
                failures.add(test + ": " + r.status() + " " + String.join(" | ", r.getMessages()));
            } else if (!grading.isPassed) {
                failures.add(test + ": " + String.join("; ", grading.failureMessages));
            } else if (r.getTotalCount() == 0) {
                failures.add(test + ": no samples");
            }
        }
        if (selected.isEmpty()) {
            failures.add("no test matches the selection");
        }
        if (failures.isEmpty()) {
            System.out.println("PASSED: " + selected.size() + " jcstress tests, every outcome as specified.");
            System.exit(0);
        }
        System.out.println("FAILED: " + failures.size() + " of " + selected.size() + " jcstress tests:");
        failures.forEach(f -> System.out.println("  " + f));
        System.exit(1);
    }

    private static String shortName(String test) {
        return test.startsWith("dev.emma.stress.") ? test.substring("dev.emma.stress.".length()) : test;
    }
}
