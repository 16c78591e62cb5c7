package dev.emma.heap;

import java.util.concurrent.atomic.AtomicIntegerArray;

/** Counts the hand-over points reached: by one watched thread, or by any thread while none is set. */
final class CountingHooks implements HandOverHooks {
    private final AtomicIntegerArray counts = new AtomicIntegerArray(Point.values().length);
    volatile Thread watched;

    @Override
    public void reached(Point point, long page) {
        Thread only = watched;
        if (only == null || Thread.currentThread() == only) {
            counts.incrementAndGet(point.ordinal());
        }
    }

    int count(Point point) {
        return counts.get(point.ordinal());
    }

    void reset() {
        for (int i = 0; i < counts.length(); i++) {
            counts.set(i, 0);
        }
    }
}
