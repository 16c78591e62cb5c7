package dev.emma.bench.workload;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
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

    /**
     * Runs {@code body(index)} on {@code threads} threads; each returns its operation count. A worker
     * that throws ends the process with exit code 1 after printing the error on stderr.
     */
    static Outcome run(int threads, String name, IntToLongFunction body) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong total = new AtomicLong();
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int index = i;
            workers[i] = Thread.ofPlatform().name(name + "-" + i).start(() -> {
                ready.countDown();
                try {
                    go.await();
                    total.addAndGet(body.applyAsLong(index));
                } catch (Throwable t) {
                    // Fail fast: the other workers may wait for this one forever (barriers, rings).
                    System.err.println("worker " + Thread.currentThread().getName() + " failed:");
                    t.printStackTrace();
                    System.err.flush();
                    Runtime.getRuntime().halt(1);
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
        return new Outcome(total.get(), seconds);
    }
}
