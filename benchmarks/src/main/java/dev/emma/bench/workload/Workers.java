package dev.emma.bench.workload;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntToLongFunction;

/** Runs N platform threads released together and reports their summed operation counts. */
final class Workers {

    /** Total operations of all workers and the wall time from release to the last one's end. */
    record Outcome(long operations, double seconds) {
        double perSecond() {
            return operations / seconds;
        }
    }

    private Workers() {
    }

    /** Runs {@code body(index)} on {@code threads} threads; each returns its operation count. */
    static Outcome run(int threads, String name, IntToLongFunction body) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong total = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int index = i;
            workers[i] = Thread.ofPlatform().name(name + "-" + i).start(() -> {
                ready.countDown();
                try {
                    go.await();
                    total.addAndGet(body.applyAsLong(index));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("a worker failed", failure.get());
        }
        return new Outcome(total.get(), seconds);
    }
}
