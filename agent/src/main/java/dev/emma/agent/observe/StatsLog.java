package dev.emma.agent.observe;

import dev.emma.agent.log.AgentLog;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The opt-in log output: one statistics line every {@code stats} period; at exit, the coverage
 * report with {@code summary} and the top allocation sites with {@code sites=N}.
 */
public final class StatsLog {

    /** The first words of the sites at exit (then "top N allocation sites ..."), fixed so that a reader of the log finds them. */
    public static final String SITES_PREFIX = "emma-agent: ";
    /** The last line of the sites at exit. */
    public static final String SITES_LAST_LINE = "emma-agent: end of allocation sites";

    private StatsLog() {
    }

    /** Starts the daemon thread that logs a line every {@code period}; it ends when interrupted. */
    public static Thread startPeriodic(Supplier<AllocatorReading> source, Duration period) {
        Thread thread = new Thread(() -> {
            boolean failureLogged = false;
            try {
                while (true) {
                    Thread.sleep(period.toMillis());
                    failureLogged = logLine(source, failureLogged);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "emma-agent-stats");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Logs one statistics line. A reading that fails (e.g. residentBytes' mapping of its vector)
     * is logged once, through the agent's logger, and the next period tries again: the thread
     * must not die (its default handler would print the stack trace on stderr, and the line stop).
     *
     * @return whether a failure has been logged, now or before
     */
    static boolean logLine(Supplier<AllocatorReading> source, boolean failureLogged) {
        try {
            AgentLog.info(source.get().toLogLine());
            return failureLogged;
        } catch (RuntimeException | Error e) {
            if (!failureLogged) {
                AgentLog.warning("emma-agent: a statistics reading failed; the line is skipped until one succeeds"
                        + " (later failures are not logged)", e);
            }
            return true;
        }
    }

    /**
     * At exit, in this order and one log record each: the coverage report ({@link CoverageReport})
     * and the top sites.
     *
     * @param coverage the coverage report, or null without {@code summary}
     * @param sites    the top sites as text, or null without {@code sites=N}
     */
    public static void reportAtExit(Supplier<String> coverage, Supplier<String> sites) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (coverage != null) {
                AgentLog.infoAtExit(coverage.get().stripTrailing());
            }
            if (sites != null) {
                AgentLog.infoAtExit(SITES_PREFIX + sites.get() + SITES_LAST_LINE);
            }
        }, "emma-agent-summary"));
    }
}
