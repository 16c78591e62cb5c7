package dev.emma.bench.proc;

import java.util.ArrayList;
import java.util.List;

/**
 * Samples a process's resident size at a fixed period on a daemon thread, from outside the
 * process, so the measured program carries no sampling code.
 */
public final class RssSampler implements AutoCloseable {

    /** One sample: milliseconds since the sampler started, resident bytes. */
    public record Sample(long millis, long rssBytes) {
    }

    private final long pid;
    private final long periodMillis;
    private final long startNanos;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long peakHwmBytes;

    public RssSampler(long pid, long periodMillis, long startNanos) {
        this.pid = pid;
        this.periodMillis = periodMillis;
        this.startNanos = startNanos;
        this.thread = Thread.ofPlatform().daemon().name("rss-sampler-" + pid).start(this::run);
    }

    private void run() {
        while (running) {
            var status = ProcStatus.read(pid);
            if (status.isEmpty()) {
                return;
            }
            synchronized (this) {
                samples.add(new Sample((System.nanoTime() - startNanos) / 1_000_000, status.get().rssBytes()));
                peakHwmBytes = Math.max(peakHwmBytes, status.get().hwmBytes());
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Milliseconds since the sampler's start, on the same clock as the samples. */
    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The highest VmHWM seen (the kernel's peak, which catches spikes between samples). */
    public synchronized long peakHwmBytes() {
        return peakHwmBytes;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
