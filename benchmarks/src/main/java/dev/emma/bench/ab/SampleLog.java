package dev.emma.bench.ab;

import dev.emma.bench.proc.ProcStatus;
import dev.emma.bench.proc.RssSampler;
import dev.emma.bench.proc.SmapsRollup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Takes the readings beside each RSS sample (on the sampler's thread): anonymous RSS and, once a
 * JMX connection is set, the MBeans; tags each with the phase the run is in.
 */
final class SampleLog implements RssSampler.Listener {

    private final List<Sample> samples = new ArrayList<>();
    private volatile Sample.Phase phase = Sample.Phase.START;
    private volatile JmxProbe probe;

    void phase(Sample.Phase phase) {
        this.phase = phase;
    }

    /** From now on each sample reads the MBeans through {@code probe}; null stops that (before the connection closes). */
    void probe(JmxProbe probe) {
        this.probe = probe;
    }

    @Override
    public void sampled(long pid, long millis, ProcStatus status) {
        JmxProbe jmx = probe;
        Map<String, Double> attributes = Map.of();
        try {
            attributes = jmx == null ? Map.of() : jmx.read();
        } catch (RuntimeException e) {
            // a sample without MBean values; the sampler must go on
        }
        long anon = SmapsRollup.anonymousBytes(pid).orElse(-1);
        Sample sample = new Sample(millis, phase, status.rssBytes(), status.hwmBytes(), anon, attributes);
        synchronized (samples) {
            samples.add(sample);
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }
}
