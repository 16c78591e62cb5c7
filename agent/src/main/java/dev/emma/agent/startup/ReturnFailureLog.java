package dev.emma.agent.startup;

import dev.emma.agent.log.AgentLog;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Logs the first time Emma's purger could not give memory back to the OS (the kernel refused a
 * madvise or munmap), with its cause. Later ones are only counted (the MBean's
 * {@code ReturnFailures}): a refusal that lasts repeats at every purge, a few times a second.
 */
final class ReturnFailureLog implements Consumer<Throwable> {

    private final AtomicBoolean logged = new AtomicBoolean();

    @Override
    public void accept(Throwable failure) {
        if (logged.compareAndSet(false, true)) {
            AgentLog.warning("emma-agent: Emma could not give memory back to the OS; it keeps that memory and tries again"
                    + " at later purges (further failures are only counted: ReturnFailures of the MBean dev.emma:type=Allocator)",
                    failure);
        }
    }
}
