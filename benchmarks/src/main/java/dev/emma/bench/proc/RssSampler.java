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

    /**
     * Told of each reading on the sampler's thread, so that other readings of the process (its
     * smaps, its MBeans) are taken at the same instant and on the same clock. It must not throw.
     */
    @FunctionalInterface
    public interface Listener {
        void sampled(long pid, long millis, ProcStatus status);
    }

    private final long pid;
    private final long periodMillis;
    private final long startNanos;
    private final List<Sample> samples = new ArrayList<>();
    private final Listener listener;
    private final Thread thread;
    private volatile boolean running = true;
    private long peakHwmBytes;

    public RssSampler(long pid, long periodMillis, long startNanos) {
        this(pid, periodMillis, startNanos, (p, millis, status) -> { });
    }

    public RssSampler(long pid, long periodMillis, long startNanos, Listener listener) {
        this.pid = pid;
        this.periodMillis = periodMillis;
        this.startNanos = startNanos;
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("rss-sampler-" + pid).start(this::run);
    }

    private void run() {
        while (running) {
            var status = ProcStatus.read(pid);
            if (status.isEmpty()) {
                return;
            }
            long millis = (System.nanoTime() - startNanos) / 1_000_000;
            synchronized (this) {
                samples.add(new Sample(millis, status.get().rssBytes()));
                peakHwmBytes = Math.max(peakHwmBytes, status.get().hwmBytes());
            }
            listener.sampled(pid, millis, status.get()); // outside the lock: it may take a while
            try {
                Thread.sleep(Math.max(1, periodMillis - (elapsedMillis() - millis))); // the period holds whatever the listener took
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
