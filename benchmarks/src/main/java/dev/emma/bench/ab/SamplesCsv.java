package dev.emma.bench.ab;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code samples.csv}: every sample of every run, one line each. The MBean columns are whatever
 * numeric attributes were read (the agent's set may grow), in the order first seen; a cell is
 * empty where a sample has no value (before the JMX connection, or in an arm without the agent).
 */
final class SamplesCsv {

    private SamplesCsv() {
    }

    static String render(List<RunResult> runs) {
        Set<String> attributes = new LinkedHashSet<>();
        runs.forEach(run -> run.samples().forEach(s -> attributes.addAll(s.attributes().keySet())));
        StringBuilder csv = new StringBuilder("arm,rep,millis,phase,rssBytes,hwmBytes,anonBytes");
        attributes.forEach(a -> csv.append(',').append(a));
        csv.append('\n');
        for (RunResult run : runs) {
            for (Sample s : run.samples()) {
                csv.append(run.arm().id()).append(',').append(run.rep()).append(',').append(s.millis()).append(',')
                        .append(s.phase().label()).append(',').append(s.rssBytes()).append(',').append(s.hwmBytes())
                        .append(',').append(s.anonBytes() < 0 ? "" : Long.toString(s.anonBytes()));
                for (String attribute : attributes) {
                    Double value = s.attributes().get(attribute);
                    csv.append(',').append(value == null ? "" : number(value));
                }
                csv.append('\n');
            }
        }
        return csv.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
