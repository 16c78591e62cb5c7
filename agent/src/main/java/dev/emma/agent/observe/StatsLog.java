package dev.emma.agent.observe;

import dev.emma.agent.log.AgentLog;
import java.time.Duration;
import java.util.function.Supplier;

/** The opt-in log lines: one every {@code stats} period, one at exit with {@code summary=true}. */
public final class StatsLog {

    private StatsLog() {
    }

    public static void startPeriodic(Supplier<AllocatorReading> source, Duration period) {
        Thread thread = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(period.toMillis());
                    AgentLog.info(source.get().toLogLine());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "emma-agent-stats");
        thread.setDaemon(true);
        thread.start();
    }

    public static void logAtExit(Supplier<AllocatorReading> source) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> AgentLog.infoAtExit(source.get().toLogLine()), "emma-agent-summary"));
    }
}
