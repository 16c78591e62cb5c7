package dev.emma.bridge;

/**
 * The routing rules, called by the instrumented JDK methods through {@link Bridge}.
 *
 * <p>In {@link RouteMode#EMMA} new memory comes from the {@link BlockAllocator}; an address it owns is
 * resized and freed by it, and never reaches libc; any other address (allocated before the agent
 * was active, or by other code) goes to the JDK's original code, a reallocation of it included,
 * so foreign memory stays foreign. In {@link RouteMode#PASSTHROUGH} everything goes to the original
 * code and is only counted. {@link #INACTIVE} hands everything to the original code.
 *
 * <p>Allocation methods return an address, or {@link #NOT_HANDLED} when the original code must
 * run; the original's result is then reported back ({@code ...Natively} methods) to be counted.
 * No method ever throws from a free: a JDK Cleaner that sees an exception exits the JVM.
 */
public final class Router {

    /** No allocator returns it: Emma's blocks are 16-byte aligned, malloc's 8-byte aligned. */
    public static final long NOT_HANDLED = -1L;

    public static final Router INACTIVE = new Router(RouteMode.INACTIVE, null, new SilentFaults());

    private final RouteMode mode;
    private final BlockAllocator emma;
    private final FaultReporter faults;
    private final RouteCounters counters = new RouteCounters();
    private final NativeBlocks natives = new NativeBlocks();

    private Router(RouteMode mode, BlockAllocator emma, FaultReporter faults) {
        this.mode = mode;
        this.emma = emma;
        this.faults = faults;
    }

    public static Router emma(BlockAllocator emma, FaultReporter faults) {
        return new Router(RouteMode.EMMA, emma, faults);
    }

    public static Router passthrough(FaultReporter faults) {
        return new Router(RouteMode.PASSTHROUGH, null, faults);
    }

    public RouteMode mode() {
        return mode;
    }

    public RouteCounters.Snapshot counters() {
        return counters.snapshot();
    }

    /** Live native blocks counted in passthrough mode. */
    public NativeLive nativeLive() {
        return new NativeLive(natives.liveBytes(), natives.liveBlocks());
    }

    /** Requested bytes and count of the native blocks allocated while active and not freed yet. */
    public record NativeLive(long bytes, long blocks) {
    }

    /** A class, not a lambda: this runs in the bootstrap loader early, keep it plain. */
    private static final class SilentFaults implements FaultReporter {
        @Override
        public void report(String what, Throwable cause) {
            // an inactive router has nothing to report
        }
    }

    public boolean owns(long address) {
        return emma != null && address != 0 && emma.owns(address);
    }

    /** {@code Unsafe.allocateMemory}: Emma's address, or {@link #NOT_HANDLED}. */
    public long allocate(long size) {
        if (emma == null || size <= 0) {
            return NOT_HANDLED; // the original returns 0 for 0 and throws the JDK's own exception for < 0
        }
        try {
            long address = emma.allocate(size);
            counters.allocations.increment();
            return address;
        } catch (Throwable e) {
            counters.fallbacks.increment();
            report("Emma could not allocate " + size + " bytes; the native allocator serves it", e);
            return NOT_HANDLED;
        }
    }

    /** Memory for a new direct buffer that reads as zeros, or 0 when the caller must allocate natively. */
    public long allocateDirectZeroed(long size) {
        if (mode == RouteMode.INACTIVE) {
            return 0;
        }
        counters.directBuffers.increment();
        if (emma == null || size <= 0) {
            return 0;
        }
        try {
            long address = emma.allocateZeroed(size);
            counters.allocations.increment();
            return address;
        } catch (Throwable e) {
            counters.fallbacks.increment();
            report("Emma could not allocate a direct buffer of " + size + " bytes; the native allocator serves it", e);
            return 0;
        }
    }

    /** Called when the original {@code allocateMemory} returned. */
    public void allocatedNatively(long address, long size) {
        if (mode == RouteMode.INACTIVE || address == 0) {
            return;
        }
        counters.allocations.increment();
        if (mode == RouteMode.PASSTHROUGH) {
            natives.add(address, size);
        }
    }

    /** {@code Unsafe.reallocateMemory}: the new address (0 after a resize to 0), or {@link #NOT_HANDLED}. */
    public long reallocate(long address, long size) {
        if (emma == null) {
            return NOT_HANDLED;
        }
        if (address == 0) {
            return allocate(size);
        }
        if (size < 0 || !emma.owns(address)) {
            return NOT_HANDLED; // the original rejects a negative size; a foreign block stays foreign
        }
        if (size == 0) {
            free(address);
            return 0;
        }
        long moved = emma.reallocate(address, size); // an Emma block cannot fall back: OOM propagates
        counters.reallocations.increment();
        return moved;
    }

    /** Called when the original {@code reallocateMemory} returned. */
    public void reallocatedNatively(long oldAddress, long newAddress, long size) {
        if (mode == RouteMode.INACTIVE) {
            return;
        }
        if (oldAddress == 0) {
            allocatedNatively(newAddress, size);
            return;
        }
        if (newAddress == 0) {
            return; // a resize to 0 frees through freeMemory, which counts it
        }
        counters.reallocations.increment();
        if (mode == RouteMode.PASSTHROUGH && natives.remove(oldAddress)) {
            natives.add(newAddress, size);
        }
    }

    /** {@code Unsafe.freeMemory}: true if handled here, false if the original must free it. Never throws. */
    public boolean free(long address) {
        if (mode == RouteMode.INACTIVE || address == 0) {
            return false;
        }
        counters.frees.increment();
        if (mode == RouteMode.PASSTHROUGH) {
            if (!natives.remove(address)) {
                counters.foreignFrees.increment();
            }
            return false;
        }
        boolean owned;
        try {
            owned = emma.owns(address);
        } catch (Throwable e) {
            // Cannot tell: leaking is safe, handing Emma memory to libc is not.
            counters.failedFrees.increment();
            report("Emma could not tell whether it owns 0x" + Long.toHexString(address) + "; the block is leaked", e);
            return true;
        }
        if (!owned) {
            counters.foreignFrees.increment();
            return false;
        }
        try {
            emma.free(address);
        } catch (Throwable e) {
            counters.failedFrees.increment();
            report("Emma rejected the free of 0x" + Long.toHexString(address), e);
        }
        return true;
    }

    /** {@code Arena.allocate} is about to allocate. */
    public void countSegment() {
        if (mode != RouteMode.INACTIVE) {
            counters.segments.increment();
        }
    }

    private void report(String what, Throwable cause) {
        try {
            faults.report(what, cause);
        } catch (Throwable ignored) {
            // the free path never throws, not even when reporting fails
        }
    }
}
