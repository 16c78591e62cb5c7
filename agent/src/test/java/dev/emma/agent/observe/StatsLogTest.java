package dev.emma.agent.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.agent.log.AgentLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The periodic statistics line outlives a reading that fails: logged once, through the agent's logger. */
class StatsLogTest {

    private static final AllocatorReading READING = new AllocatorReading("emma", 0.75, 300, 100, 40, 10, 5000, 7, 8192, 4096,
            2048, 9, 20, 1, 13, 2, 3, 11, 4, 1000, 5, 500, 6, 600, 7, 700, 8, 800);

    @Test
    void aFailedReadingIsLoggedOnceAndTheLineGoesOn() throws Exception {
        Logger logger = Logger.getLogger(AgentLog.NAME);
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        boolean parents = logger.getUseParentHandlers();
        logger.addHandler(handler);
        logger.setUseParentHandlers(false); // no console output from the test
        Thread periodic = null;
        try {
            AtomicInteger readings = new AtomicInteger();
            periodic = StatsLog.startPeriodic(() -> {
                if (readings.incrementAndGet() <= 3) {
                    throw new IllegalStateException("mmap failed"); // what residentBytes may throw
                }
                return READING;
            }, Duration.ofMillis(5));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (records.stream().noneMatch(r -> r.getLevel() == Level.INFO) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            List<LogRecord> warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
            assertEquals(1, warnings.size(), "three failures, one warning");
            assertEquals("mmap failed", warnings.getFirst().getThrown().getMessage());
            assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.INFO && r.getMessage().startsWith("emma-agent: mode=emma")),
                    "the line went on after the failures");
        } finally {
            if (periodic != null) {
                periodic.interrupt();
                periodic.join();
            }
            logger.removeHandler(handler);
            logger.setUseParentHandlers(parents);
        }
    }
}
