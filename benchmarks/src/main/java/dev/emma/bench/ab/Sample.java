package dev.emma.bench.ab;

import java.util.Map;

/**
 * One reading of the service, every 200 ms: milliseconds since it was started, the phase it was
 * in, {@code VmRSS} and {@code VmHWM} from {@code /proc/PID/status}, the anonymous resident bytes
 * from {@code smaps_rollup} (-1 when unreadable), and the numeric MBean attributes read at the
 * same instant ({@code emma.*}, {@code direct.*}; empty before the JMX connection is up).
 */
public record Sample(long millis, Phase phase, long rssBytes, long hwmBytes, long anonBytes, Map<String, Double> attributes) {

    /** Where a run is; samples are tagged with it, and the report's figures are taken per phase. */
    public enum Phase {
        START("start"), WARMUP("warmup"), MEASURE("measure"), IDLE("idle"), STOP("stop");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** An attribute, or NaN when it was not read in this sample. */
    public double attribute(String key) {
        Double value = attributes.get(key);
        return value == null ? Double.NaN : value;
    }
}
