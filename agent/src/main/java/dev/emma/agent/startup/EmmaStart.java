package dev.emma.agent.startup;

import dev.emma.Emma;
import dev.emma.EmmaConfig;

/**
 * Starts the global Emma instance, once, on the thread that first needs it, and proves it works.
 * Most of Emma's start is the JDK's FFM linker binding Emma's syscalls: about a hundred
 * milliseconds and some 15 MiB of a JVM's memory (classes spun, code compiled), which a JVM that
 * never allocates off-heap never pays. See {@link StartingEmma}.
 */
final class EmmaStart {

    private volatile Emma emma; // set once, under this
    private volatile Throwable failure; // set once, under this
    private volatile Thread starting; // the thread running the start, while it runs
    private final String note;

    private EmmaStart(String note) {
        this.note = note;
    }

    /**
     * Sets the global instance's configuration now (cheap: nothing starts), so that an application
     * calling {@code Emma.global()} itself gets the agent's configuration too.
     */
    static EmmaStart configure(EmmaConfig config) {
        try {
            Emma.configureGlobal(config);
            return new EmmaStart(null);
        } catch (IllegalStateException e) {
            return new EmmaStart("the global Emma instance already exists; its configuration is kept (" + e.getMessage() + ")");
        }
    }

    /** The instance once started, else null (not started, starting, or failed). Never blocks. */
    Emma startedOrNull() {
        return emma;
    }

    /** Whether the start failed (for good). Never blocks: read before {@link #start()}, whose lock every thread would take again. */
    boolean failed() {
        return failure != null;
    }

    /** Whether this thread is the one starting Emma (its own allocations meanwhile cannot be Emma's). */
    boolean isStartingOn(Thread thread) {
        return starting == thread;
    }

    /**
     * Starts Emma unless done already; blocks other threads meanwhile (bounded only by the start
     * itself). Returns the instance, or null if the start failed (see {@link #failureReason()}).
     */
    synchronized Emma start() {
        if (emma != null || failure != null) {
            return emma;
        }
        starting = Thread.currentThread();
        try {
            Emma instance = Emma.global();
            long probe = instance.allocate(64);
            instance.free(probe);
            instance.onReturnFailure(new ReturnFailureLog());
            emma = instance;
        } catch (Throwable e) {
            failure = e;
            AgentStartup.failOpen(failureReason() + "; each allocation is served natively and counted as a fallback", false, true);
        } finally {
            starting = null;
        }
        return emma;
    }

    /** A remark for the log, or null. */
    String note() {
        return note;
    }

    /** Why Emma cannot run, in words, for the one-line report; null if it did not fail (yet). */
    String failureReason() {
        Throwable e = failure;
        if (e == null) {
            return null;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalCallerException denied) {
                return "native access is denied to the Emma allocator (" + denied.getMessage()
                        + "); allow it with --enable-native-access=ALL-UNNAMED";
            }
        }
        return "the Emma allocator failed to start (" + e + ")";
    }
}
