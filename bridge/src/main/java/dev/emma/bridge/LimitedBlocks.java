package dev.emma.bridge;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code -XX:MallocLimit} for the memory Emma serves in place of {@code Unsafe.allocateMemory}
 * (NMT's category {@code other}): a {@link BlockAllocator} that keeps the usable bytes of Emma's
 * live blocks under {@code limit} and refuses, with the JDK's own {@link OutOfMemoryError}, an
 * allocation that would go over it. Used only when the JVM runs with a limit (a diagnostic set-up:
 * it needs NMT); it costs a usable-size look-up per free and a CAS per operation.
 *
 * <p>The JDK checks its own mallocs against the same limit without counting Emma's bytes, and this
 * class checks Emma's without counting the JDK's: under a global limit the two together may reach
 * up to twice the limit (see the agent README).
 */
public final class LimitedBlocks implements BlockAllocator {

    private final BlockAllocator delegate;
    private final long limit;
    private final FaultReporter faults;
    private final AtomicLong live = new AtomicLong();

    public LimitedBlocks(BlockAllocator delegate, long limit, FaultReporter faults) {
        this.delegate = delegate;
        this.limit = limit;
        this.faults = faults;
    }

    @Override
    public long allocate(long size) {
        return reserved(size, () -> delegate.allocate(size));
    }

    @Override
    public long allocateZeroed(long size) {
        return reserved(size, () -> delegate.allocateZeroed(size));
    }

    @Override
    public long allocateAligned(long size, long alignment) {
        return reserved(size, () -> delegate.allocateAligned(size, alignment));
    }

    @Override
    public long reallocate(long address, long newSize) {
        long before = delegate.usableSize(address);
        long growth = Math.max(0, newSize - before);
        reserve(growth);
        long moved;
        try {
            moved = delegate.reallocate(address, newSize);
        } catch (RuntimeException | Error e) {
            live.addAndGet(-growth);
            throw e;
        }
        long after = moved == 0 ? 0 : delegate.usableSize(moved);
        live.addAndGet(after - before - growth); // net change: after - before
        return moved;
    }

    @Override
    public boolean free(long address) {
        if (!delegate.owns(address)) {
            return false;
        }
        long usable = delegate.usableSize(address);
        delegate.free(address);
        live.addAndGet(-usable);
        return true;
    }

    @Override
    public boolean owns(long address) {
        return delegate.owns(address);
    }

    @Override
    public long usableSize(long address) {
        return delegate.usableSize(address);
    }

    @Override
    public void sampling(SampleHook hook) {
        delegate.sampling(hook);
    }

    /** Live usable bytes of Emma's blocks, as checked against the limit. */
    public long liveBytes() {
        return live.get();
    }

    private void reserve(long size) {
        while (true) {
            long now = live.get();
            if (now + size > limit) {
                MallocLimitExceeded refused = new MallocLimitExceeded(size);
                try {
                    faults.report("MallocLimit: reached the limit of " + limit + " bytes (triggering allocation size: " + size
                            + ", Emma's blocks so far: " + now + ")", null);
                } catch (Throwable ignored) {
                    // the JDK's answer matters more than the log line
                }
                throw refused;
            }
            if (live.compareAndSet(now, now + size)) {
                return;
            }
        }
    }

    /** Reserves {@code size}, allocates, then counts the block's usable size instead (or gives the reservation back). */
    private long reserved(long size, LongSupplier allocation) {
        reserve(size);
        long address;
        try {
            address = allocation.getAsLong();
        } catch (RuntimeException | Error e) {
            live.addAndGet(-size);
            throw e;
        }
        live.addAndGet(delegate.usableSize(address) - size);
        return address;
    }
}
