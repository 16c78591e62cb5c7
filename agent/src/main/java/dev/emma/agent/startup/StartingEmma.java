package dev.emma.agent.startup;

import dev.emma.Emma;
import dev.emma.bridge.BlockAllocator;
import dev.emma.bridge.Bridge;
import dev.emma.bridge.EmmaBlocks;
import dev.emma.bridge.NotReady;
import dev.emma.bridge.SampleHook;
import java.util.function.Supplier;

/**
 * Emma as the router sees it: the routing is active when {@code premain} returns, and Emma itself
 * starts with the first allocation routed to it ({@link EmmaStart}), on that thread, so that even
 * the first allocation of {@code main} is Emma's while a JVM that allocates nothing off-heap pays
 * nothing for Emma. Once started, every call goes to {@link EmmaBlocks} (the compilation boundary)
 * after one volatile read.
 *
 * <p>Allocations made by the starting thread itself while Emma starts (if the JDK makes any while
 * it binds Emma's syscalls) get {@link NotReady}: native, not a fallback. Every allocation after
 * a failed start gets an {@link IllegalStateException}, which the router answers with the native
 * allocator (a fallback, counted).
 */
final class StartingEmma implements BlockAllocator, Supplier<Emma> {

    private final EmmaStart start;
    private volatile EmmaBlocks blocks; // once Emma started
    private SampleHook sampling; // guarded by this: handed to the blocks when they appear

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
    public long allocateAligned(long size, long alignment) {
        return started().allocateAligned(size, alignment);
    }

    @Override
    public long reallocate(long address, long newSize) {
        return started().reallocate(address, newSize); // only for an owned address: started
    }

    /** Before Emma started, nothing is Emma's: no start, no wait. */
    @Override
    public boolean free(long address) {
        EmmaBlocks b = startedOrNull();
        return b != null && b.free(address);
    }

    @Override
    public boolean owns(long address) {
        EmmaBlocks b = startedOrNull();
        return b != null && b.owns(address);
    }

    @Override
    public long usableSize(long address) {
        return started().usableSize(address); // only for an owned address: started
    }

    @Override
    public synchronized void sampling(SampleHook hook) {
        sampling = hook;
        EmmaBlocks b = blocks;
        if (b != null) {
            b.sampling(hook);
        }
    }

    /** Emma if started, else null: for the statistics, which must not start it. */
    @Override
    public Emma get() {
        EmmaBlocks b = startedOrNull();
        return b != null ? b.emma() : null;
    }

    private EmmaBlocks startedOrNull() {
        EmmaBlocks b = blocks;
        if (b == null) {
            Emma e = start.startedOrNull();
            if (e == null) {
                return null;
            }
            b = publish(e);
        }
        return b;
    }

    private EmmaBlocks started() {
        EmmaBlocks b = blocks;
        return b != null ? b : startNow();
    }

    private EmmaBlocks startNow() {
        Emma e = start.startedOrNull();
        if (e == null) {
            if (start.isStartingOn(Thread.currentThread())) {
                throw new NotReady("Emma is starting on this thread");
            }
            if (start.failed()) {
                throw new Unavailable(start.failureReason()); // without start()'s lock: every routed call comes here
            }
            e = start.start();
            if (e == null) {
                throw new Unavailable(start.failureReason());
            }
        }
        return publish(e);
    }

    private synchronized EmmaBlocks publish(Emma e) {
        EmmaBlocks b = blocks;
        if (b == null) {
            b = new EmmaBlocks(e);
            b.sampling(sampling);
            blocks = b;
            Bridge.started(this, b); // the bridge's hot calls may now go to the blocks directly
        }
        return b;
    }

    /** Emma failed to start: the router falls back to the native allocator. */
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
