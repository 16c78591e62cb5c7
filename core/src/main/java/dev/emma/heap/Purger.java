package dev.emma.heap;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A daemon thread per instance that returns memory to the OS: every quarter of the purge delay it
 * reclaims the heaps of dead threads, the spares of idle thread heaps and the idle pages of shared
 * heaps, then madvises pages and unmaps segments that stayed empty for the purge delay. Started on
 * the instance's first mapping, so an instance that never allocates costs no thread.
 */
final class Purger implements Runnable {
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final Allocator allocator;
    private final long delayNanos;
    private final boolean enabled;
    private volatile Thread thread;
    private volatile boolean stopped;

    Purger(Allocator allocator, long delayNanos, boolean enabled) {
        this.allocator = allocator;
        this.delayNanos = delayNanos;
        this.enabled = enabled;
    }

    void ensureStarted() {
        if (enabled && thread == null && !stopped) {
            synchronized (this) {
                if (thread == null && !stopped) {
                    Thread t = new Thread(this, "emma-purger-" + NAMES.incrementAndGet());
                    t.setDaemon(true);
                    thread = t;
                    t.start();
                }
            }
        }
    }

    @Override
    public void run() {
        long periodMillis = Math.max(10, delayNanos / 4_000_000);
        while (!stopped) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
            }
            try {
                allocator.purge(delayNanos);
            } catch (RuntimeException | Error e) {
                // Returning memory is best effort; the allocator stays correct without it. Counted
                // in stats() by purge itself; the listener (the agent's log) hears of it here.
                if (stopped) {
                    return;
                }
                allocator.backgroundPurgeFailed(e);
            }
        }
    }

    void stop() {
        synchronized (this) {
            stopped = true;
        }
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return; // a listener that closes: its purge is done, and the loop ends on stopped
        }
        t.interrupt();
        // Joined whatever interrupts the caller: close() unmaps once this returns, and a purger
        // still in reclaim() would write page records of unmapped segments (a SIGSEGV when close()
        // ran on an interrupted thread, whose join threw at once).
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
