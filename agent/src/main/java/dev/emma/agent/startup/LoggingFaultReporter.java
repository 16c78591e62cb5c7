package dev.emma.agent.startup;

import dev.emma.agent.log.AgentLog;
import dev.emma.bridge.FaultReporter;
import java.util.concurrent.atomic.AtomicInteger;

/** Logs the first few faults with their cause, then only says that more are being counted. */
final class LoggingFaultReporter implements FaultReporter {

    static final int LOGGED_FAULTS = 10;

    private final AtomicInteger reported = new AtomicInteger();

    @Override
    public void report(String what, Throwable cause) {
        if (cause instanceof StartingEmma.Unavailable) {
            return; // said once, by the start-up report; each such fallback is counted
        }
        int count = reported.incrementAndGet();
        if (count < LOGGED_FAULTS) {
            AgentLog.warning("emma-agent: " + what, cause);
        } else if (count == LOGGED_FAULTS) {
            AgentLog.warning("emma-agent: " + what + " (further faults are only counted, see the MBean " + "dev.emma:type=Allocator)", cause);
        }
    }
}
