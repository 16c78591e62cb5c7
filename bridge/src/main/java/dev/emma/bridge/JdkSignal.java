package dev.emma.bridge;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A moment in the JDK that the agent waits for, told by instrumented JDK code ({@link #happened()},
 * on every call of the instrumented method) and awaited by the agent ({@link #then(Runnable)}): the
 * action runs once, on whichever thread comes second. So the agent need not start a JDK facility
 * (the platform MBean server, JFR) that nobody else starts.
 */
public final class JdkSignal {

    private final AtomicReference<Runnable> pending = new AtomicReference<>();
    private volatile boolean happened;

    /** From instrumented JDK code: one volatile read and one plain read once the action ran. */
    public void happened() {
        if (!happened) {
            happened = true;
        }
        if (pending.get() != null) {
            runPending();
        }
    }

    /** Runs {@code action} once the moment came: now if it did. A later call replaces a pending action. */
    public void then(Runnable action) {
        pending.set(action);
        if (happened) {
            runPending();
        }
    }

    private void runPending() {
        Runnable action = pending.getAndSet(null); // whoever takes it runs it: once
        if (action != null) {
            try {
                action.run();
            } catch (Throwable ignored) {
                // never fail the application's call into the JDK; the agent reports its own failures
            }
        }
    }
}
