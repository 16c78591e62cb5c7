package dev.emma.heap;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link HandOverHooks} for tests: when a chosen thread reaches a chosen point, run an action on
 * another thread and wait for it to finish, so "thread B acts between these two steps of thread A"
 * happens every time, on any number of cores. One-shot: arm it again for the next interleaving.
 */
final class ForcedInterleaving implements HandOverHooks {

    private record Armed(Point point, Thread thread, Runnable action) {
    }

    private final AtomicReference<Armed> armed = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile int fired;

    /** At {@code point} on {@code thread}, {@code action} runs on a fresh thread before {@code thread} goes on. */
    void arm(Point point, Thread thread, Runnable action) {
        armed.set(new Armed(point, thread, action));
    }

    /** How many armed actions ran. */
    int fired() {
        return fired;
    }

    /** The first exception an action threw, rethrown on the test thread. */
    void rethrow() throws Throwable {
        Throwable t = failure.get();
        if (t != null) {
            throw t;
        }
    }

    @Override
    public void reached(Point point, long page) {
        Armed a = armed.get();
        if (a == null || a.point() != point || a.thread() != Thread.currentThread() || !armed.compareAndSet(a, null)) {
            return;
        }
        Thread other = Thread.ofPlatform().name("emma-interleaved").start(() -> {
            try {
                a.action().run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        try {
            other.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        fired++;
    }

    /** Runs {@code body} on a new platform thread, which then dies; returns its result. */
    static <T> T onThreadThatDies(Callable<T> body) throws Throwable {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                result.set(body.call());
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.join();
        if (thrown.get() != null) {
            throw thrown.get();
        }
        return result.get();
    }
}
