package dev.emma.agent.startup;

import dev.emma.Emma;
import dev.emma.bridge.BlockAllocator;
import java.util.function.Supplier;

/**
 * Emma as the router sees it: the routing is active when {@code premain} returns, and Emma itself
 * starts with the first allocation routed to it ({@link EmmaStart}), on that thread, so that even
 * the first allocation of {@code main} is Emma's while a JVM that allocates nothing off-heap pays
 * nothing for Emma. Once started, each call costs one more volatile read than calling Emma.
 *
 * <p>Allocations made by the starting thread itself while Emma starts (if the JDK makes any while
 * it binds Emma's syscalls), and every allocation after a failed start, get {@link Unavailable},
 * which the router answers with the native allocator (a fallback, counted).
 */
final class StartingEmma implements BlockAllocator, Supplier<Emma> {

    private final EmmaStart start;
    private volatile Emma emma; // the started instance once seen

    StartingEmma(EmmaStart start) {
        this.start = start;
    }

    @Override
    public long allocate(long size) {
        return started().allocate(size);
    }

    @Override
    public long allocateZeroed(long size) {
        return started().allocateZeroed(size);
    }

    @Override
    public long reallocate(long address, long newSize) {
        return started().reallocate(address, newSize); // only for an owned address: started
    }

    @Override
    public void free(long address) {
        started().free(address); // only for an owned address: started
    }

    /** Before Emma started, nothing is Emma's: no start, no wait. */
    @Override
    public boolean owns(long address) {
        Emma e = emma;
        if (e == null) {
            e = start.startedOrNull();
            if (e == null) {
                return false;
            }
            emma = e;
        }
        return e.owns(address);
    }

    /** Emma if started, else null: for the statistics, which must not start it. */
    @Override
    public Emma get() {
        Emma e = emma;
        return e != null ? e : start.startedOrNull();
    }

    private Emma started() {
        Emma e = emma;
        return e != null ? e : startNow();
    }

    private Emma startNow() {
        Emma e = start.startedOrNull();
        if (e == null) {
            if (start.isStartingOn(Thread.currentThread())) {
                throw new Unavailable("Emma is starting on this thread");
            }
            e = start.start();
            if (e == null) {
                throw new Unavailable(start.failureReason());
            }
        }
        emma = e;
        return e;
    }

    /** Emma cannot serve: the router falls back to the native allocator. */
    static final class Unavailable extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // expected, possibly frequent after a failed start: no stack walk
        }
    }
}
