package dev.emma.bench.harness;

/** One run of one workload under one configuration, in round {@code round} (1-based). */
public record RunRecord(String workload, String config, int round, ChildJvm.Outcome outcome) {

    public boolean ok() {
        return outcome.failure() == null;
    }

    /** A numeric field of the RESULT line, or NaN when absent. */
    public double value(String key) {
        String text = outcome.result().get(key);
        return text == null ? Double.NaN : Double.parseDouble(text);
    }
}
