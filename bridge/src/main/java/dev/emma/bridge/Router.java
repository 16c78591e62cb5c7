package dev.emma.bridge;

import dev.emma.page.SizeClasses;
import dev.emma.segment.Layout;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.internal.vm.annotation.Stable;

/**
 * The routing rules, called by the instrumented JDK methods through {@link Bridge}.
 *
 * <p>In {@link RouteMode#EMMA} new memory comes from the {@link BlockAllocator}; an address it owns
 * is resized and freed by it, and never reaches libc; any other address (allocated before the agent
 * was active, or by other code) goes to the JDK's original code, a reallocation of it included, so
 * foreign memory stays foreign. In {@link RouteMode#PASSTHROUGH} everything goes to the original
 * code and a sample of it is remembered ({@link SampledBlocks}). {@link #INACTIVE} hands everything
 * to the original code and counts nothing.
 *
 * <p>Allocation methods return an address, or {@link #NOT_HANDLED} when the original code must
 * run; the original's result is then reported back ({@code ...Natively} methods) to be counted.
 * No method ever throws from a free: a JDK Cleaner that sees an exception exits the JVM.
 *
 * <p>Cost: the plain {@code Unsafe} path (allocate, free) does no shared write in either mode; see
 * {@link RouteCounters} for what is counted where.
 */
public final class Router {

    /** No allocator returns it: Emma's blocks are 16-byte aligned, malloc's 8-byte aligned. */
    public static final long NOT_HANDLED = -1L;

    public static final Router INACTIVE = new Router(RouteMode.INACTIVE, null, new SilentFaults());

    // @Stable (final alone is not trusted by C2): folded to constants with the active router (see Bridge)
    @Stable
    private final RouteMode mode;
    @Stable
    private final BlockAllocator emma;
    private final FaultReporter faults;
    @Stable
    private final RouteCounters counters = new RouteCounters();
    @Stable
    private final SampledBlocks sampled;
    private final AtomicBoolean fallbackReported = new AtomicBoolean();
    /**
     * Allocation sampling of the native allocator's blocks, or null (the default). Emma's own blocks are
     * sampled behind the compilation boundary ({@link EmmaBlocks}), so that Emma's hot paths here
     * carry no check at all; only the native paths (passthrough, fallbacks, foreign blocks) do.
     */
    private volatile SampleHook sampling;

    private Router(RouteMode mode, BlockAllocator emma, FaultReporter faults) {
        this.mode = mode;
        this.emma = emma;
        this.faults = faults;
        // passthrough: every native block; emma: the Linker route's blocks (their frees carry no size either)
        this.sampled = mode == RouteMode.INACTIVE ? null : new SampledBlocks();
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

    public RouterReading reading() {
        return RouterReading.of(mode, counters, sampled);
    }

    /** Starts (or with null stops) handing every block, Emma's and the native allocator's, to {@code hook}. */
    public void sampling(SampleHook hook) {
        sampling = hook;
        if (emma != null) {
            emma.sampling(hook);
        }
    }

    /** A class, not a lambda: this runs in the bootstrap loader early, keep it plain. */
    private static final class SilentFaults implements FaultReporter {
        @Override
        public void report(String what, Throwable cause) {
            // an inactive router has nothing to report
        }
    }

    /** Whether {@code allocator} is this router's own, the very object it routes to. */
    boolean allocatorIs(BlockAllocator allocator) {
        return allocator != null && allocator == emma;
    }

    public boolean owns(long address) {
        return emma != null && address != 0 && emma.owns(address);
    }

    // ---- Unsafe.allocateMemory / reallocateMemory / freeMemory --------------------------------

    /** {@code Unsafe.allocateMemory}: Emma's address, or {@link #NOT_HANDLED}. */
    public long allocate(long size) {
        BlockAllocator blocks = emma;
        if (blocks == null || size <= 0 || size > MAX_JDK_SIZE) {
            return NOT_HANDLED; // the original returns 0 for 0 and throws the JDK's own exception for the others
        }
        try {
            long address = blocks.allocate(size);
            countHuge(size);
            counters.internalAllocations.increment(); // not the application's path: see AppUnsafe
            counters.internalBytes.add(size);
            return address;
        } catch (MallocLimitExceeded e) {
            throw e; // -XX:MallocLimit: the JDK's own answer, not a fallback
        } catch (Throwable e) {
            fallback("Emma could not allocate " + size + " bytes", e);
            return NOT_HANDLED;
        }
    }

    /** Called when the original {@code allocateMemory} returned {@code address}. */
    public void allocatedNatively(long address, long size) {
        if (address == 0) {
            return;
        }
        if (mode == RouteMode.PASSTHROUGH) {
            sampled.allocated(address, size, SampledBlocks.OTHER);
        } else if (mode == RouteMode.EMMA) {
            countNative(size);
            counters.internalAllocations.increment();
            counters.internalBytes.add(size);
        }
        sampleNative(address, size, Route.JDK);
    }

    // ---- sun.misc.Unsafe.allocateMemory: the application's own calls ------------------------------

    /**
     * {@code sun.misc.Unsafe.allocateMemory} (see {@link AppUnsafe}): Emma's address, or
     * {@link #NOT_HANDLED} when the JDK's internal {@code allocateMemory} must run, which then tries
     * Emma once more and counts a fallback once. Counts nothing itself: the core does.
     */
    public long allocateForApplication(long size) {
        BlockAllocator blocks = emma;
        if (blocks == null || size <= 0 || size > MAX_JDK_SIZE) {
            return NOT_HANDLED;
        }
        try {
            long address = blocks.allocate(size);
            countHuge(size);
            return address;
        } catch (MallocLimitExceeded e) {
            throw e;
        } catch (Throwable e) {
            return NOT_HANDLED;
        }
    }

    /** The internal {@code allocateMemory} served an application's call natively (passthrough, or a fallback). */
    public void applicationAllocatedNatively(long address) {
        if (address != 0 && mode == RouteMode.PASSTHROUGH) {
            sampled.retag(address, SampledBlocks.APPLICATION);
        }
    }

    /** {@code Unsafe.reallocateMemory}: the new address (0 after a resize to 0), or {@link #NOT_HANDLED}. */
    public long reallocate(long address, long size) {
        BlockAllocator blocks = emma;
        if (blocks == null) {
            if (mode == RouteMode.PASSTHROUGH && address != 0 && size >= 0) {
                sampled.freed(address); // before libc may hand the address to another thread
                forgetNative(address);
            }
            return NOT_HANDLED;
        }
        if (address == 0) {
            return allocate(size);
        }
        if (size < 0 || size > MAX_JDK_SIZE) {
            return NOT_HANDLED; // the original rejects the size before it looks at the block
        }
        if (!blocks.owns(address)) {
            forgetNative(address); // a foreign block stays foreign: libc resizes it, the new block is reported back
            return NOT_HANDLED;
        }
        if (size == 0) {
            free(address);
            return 0;
        }
        // A Linker block resized through Unsafe leaves the Linker route's sample: taken out before the
        // reallocation (which may hand the address to another thread), put back if it fails.
        long taken = sampled.take(address);
        long moved;
        try {
            moved = blocks.reallocate(address, size); // an Emma block cannot fall back to libc
        } catch (MallocLimitExceeded e) {
            sampled.restore(address, taken);
            throw e;
        } catch (OutOfMemoryError e) {
            sampled.restore(address, taken);
            // The JDK's own answer, with Emma's reason as the cause; the block is unchanged.
            OutOfMemoryError jdk = new OutOfMemoryError("Unable to allocate " + ((size + 7) & ~7L) + " bytes");
            jdk.initCause(e);
            throw jdk;
        } catch (RuntimeException | Error e) {
            sampled.restore(address, taken);
            throw e;
        }
        sampled.countTaken(taken);
        counters.reallocations.increment();
        countReallocated(address, moved, size);
        return moved;
    }

    /**
     * The largest size the JDK's {@code allocateMemory} and {@code reallocateMemory} accept: they
     * round up to 8 bytes first, and reject a size that the rounding overflows with their own
     * {@code IllegalArgumentException}. Such a size is theirs to reject, not a fallback.
     */
    static final long MAX_JDK_SIZE = Long.MAX_VALUE - 7;

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
        allocatedNatively(newAddress, size);
    }

    /** {@code Unsafe.freeMemory}: true if handled here, false if the original must free it. Never throws. */
    public boolean free(long address) {
        if (address == 0 || mode == RouteMode.INACTIVE) {
            return false;
        }
        // Before the free, which may hand the address to another thread: a Linker block (sampled in
        // both modes) freed through Unsafe leaves the Linker route's live figures. A load and a
        // branch while the Linker route has sampled nothing.
        sampled.freed(address);
        BlockAllocator blocks = emma;
        if (blocks == null) {
            forgetNative(address);
            return false;
        }
        try {
            if (blocks.free(address)) {
                return true;
            }
        } catch (Throwable e) {
            return freeRejected(address, e);
        }
        return freeNotEmmas(address);
    }

    /** Emma threw on the free of {@code address}: true (the original must not free it). Never throws. */
    boolean freeRejected(long address, Throwable cause) {
        // Emma owns it (or could not tell): leaking is safe, handing Emma memory to libc is not.
        counters.failedFrees.increment();
        report("Emma rejected the free of 0x" + Long.toHexString(address) + "; the block is left alone", cause);
        return true;
    }

    /** Emma does not own {@code address}: false (the original frees it), counted unless it is 0. */
    boolean freeNotEmmas(long address) {
        if (address != 0) {
            counters.foreignFrees.increment();
            forgetNative(address);
        }
        return false;
    }

    // ---- ByteBuffer.allocateDirect -------------------------------------------------------------

    /**
     * Memory for a new direct buffer that reads as zeros, or 0 when the caller must allocate through
     * {@code Unsafe.allocateMemory}, which then tries Emma once more and counts a fallback once.
     */
    public long allocateDirectZeroed(long size) {
        if (mode == RouteMode.INACTIVE) {
            return 0;
        }
        BlockAllocator blocks = emma;
        if (blocks == null || size <= 0) {
            return 0;
        }
        try {
            long address = blocks.allocateZeroed(size);
            countHuge(size);
            return address;
        } catch (MallocLimitExceeded e) {
            throw e; // DirectByteBuffer(int) gives back its reservation and rethrows, as for the JDK's own
        } catch (Throwable e) {
            return 0; // not counted here: the Unsafe path it falls back to counts it
        }
    }

    /**
     * A new direct buffer has its memory, Emma's or native: counted only now, so that a buffer whose
     * allocation threw (MallocLimit, or native memory exhausted) and so never gets a Cleaner is not
     * counted live for good.
     */
    public void directAllocated(long size) {
        if (mode != RouteMode.INACTIVE) {
            counters.route(Route.DIRECT).allocated(size);
        }
    }

    /** A direct buffer's Cleaner ran ({@code size} as allocated, before its free). */
    public void directFreed(long size) {
        if (mode != RouteMode.INACTIVE) {
            counters.route(Route.DIRECT).freedBytes.add(size);
        }
    }

    // ---- FFM arenas ----------------------------------------------------------------------------

    /** An arena allocated {@code size} bytes through {@code Unsafe.allocateMemory}. */
    public void segmentAllocated(long size) {
        if (mode != RouteMode.INACTIVE) {
            counters.route(Route.FFM).allocated(size);
        }
    }

    /** An arena freed a block of {@code size} bytes (its cleanup action ran). */
    public void segmentFreed(long size) {
        if (mode != RouteMode.INACTIVE) {
            counters.route(Route.FFM).freedBytes.add(size);
        }
    }

    // ---- libc's allocator through a Linker downcall ----------------------------------------------

    /** {@code malloc}-like call of a routed Linker handle: Emma's address, or 0 when libc must serve it. */
    public long linkerAllocate(long size, long alignment, boolean zeroed) {
        BlockAllocator blocks = emma;
        if (blocks == null || size <= 0) {
            return 0;
        }
        try {
            long address = zeroed ? blocks.allocateZeroed(size)
                    : alignment <= 16 ? blocks.allocate(size) : blocks.allocateAligned(size, alignment);
            countHuge(size);
            sampled.allocated(address, size, SampledBlocks.LINKER);
            return address;
        } catch (Throwable e) {
            fallback("Emma could not allocate " + size + " bytes for a Linker downcall", e);
            return 0;
        }
    }

    /** A routed Linker handle's libc call returned {@code address} for {@code size} bytes. */
    public void linkerAllocatedNatively(long address, long size) {
        if (address == 0 || mode == RouteMode.INACTIVE) {
            return;
        }
        if (mode == RouteMode.EMMA) {
            countNative(size);
        }
        sampled.allocated(address, size, SampledBlocks.LINKER);
        sampleNative(address, size, Route.LINKER);
    }

    /** {@code free} through a routed Linker handle: true if Emma freed it, false if libc must. Never throws. */
    public boolean linkerFree(long address) {
        if (address == 0 || mode == RouteMode.INACTIVE) {
            return false;
        }
        sampled.freed(address);
        BlockAllocator blocks = emma;
        if (blocks == null) {
            forgetNative(address);
            return false;
        }
        try {
            if (!blocks.free(address)) {
                counters.foreignFrees.increment();
                forgetNative(address);
                return false;
            }
        } catch (Throwable e) {
            counters.failedFrees.increment();
            report("Emma rejected the free of 0x" + Long.toHexString(address) + " from a Linker downcall; the block is left alone", e);
        }
        return true;
    }

    /** {@code realloc} through a routed Linker handle: the new address, or {@link #NOT_HANDLED} for libc. */
    public long linkerReallocate(long address, long size) {
        BlockAllocator blocks = emma;
        if (blocks == null) {
            if (mode == RouteMode.PASSTHROUGH && address != 0) {
                sampled.freed(address); // before libc may hand the address to another thread
                forgetNative(address);
            }
            return NOT_HANDLED;
        }
        if (address == 0) {
            // realloc(NULL, n) is malloc(n); malloc(0) and sizes of 2^63 or more (negative here) are libc's to answer, as on the malloc route
            long fresh = size <= 0 ? 0 : linkerAllocate(size, 0, false);
            return fresh != 0 ? fresh : NOT_HANDLED;
        }
        if (!blocks.owns(address)) {
            sampled.freed(address); // libc resizes it; the caller reports the new block
            forgetNative(address);
            return NOT_HANDLED;
        }
        if (size == 0) {
            linkerFree(address); // realloc(p, 0) frees p (glibc), and 0 is a valid answer
            return 0;
        }
        if (size < 0) {
            return 0; // a size_t of 2^63 or more: C's failure, NULL, and p stays valid
        }
        long taken = sampled.take(address); // before the reallocation, which may hand the address to another thread
        long moved;
        try {
            moved = blocks.reallocate(address, size);
        } catch (OutOfMemoryError e) {
            sampled.restore(address, taken);
            return 0; // C's failure: NULL, and p stays valid (Emma left it unchanged); never a Java exception out of realloc
        } catch (RuntimeException | Error e) {
            sampled.restore(address, taken);
            counters.failedFrees.increment(); // not a live block start: glibc would abort; p is left alone
            report("Emma rejected the realloc of 0x" + Long.toHexString(address) + " from a Linker downcall; the block is left alone", e);
            return 0;
        }
        counters.reallocations.increment();
        countReallocated(address, moved, size);
        sampled.countTaken(taken);
        sampled.allocated(moved, size, SampledBlocks.LINKER);
        return moved;
    }

    /** The usable size of an Emma block, or -1 for an address Emma does not own. */
    public long linkerUsableSize(long address) {
        BlockAllocator blocks = emma;
        if (blocks == null || address == 0 || !blocks.owns(address)) {
            return -1;
        }
        try {
            return blocks.usableSize(address);
        } catch (RuntimeException e) {
            // Emma's, but not a live block's start (freed, or an interior pointer): C's
            // malloc_usable_size never throws, and glibc answers 0 for a freed chunk. Never libc's.
            return 0;
        }
    }

    /** A Linker allocation by a caller outside the routed scope: it stays native, and is counted as such. */
    public void linkerUncovered(long size) {
        if (mode != RouteMode.INACTIVE) {
            counters.uncoveredAllocations.increment();
            counters.uncoveredBytes.add(size);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Hands a block the native allocator served to allocation sampling, when it is on. */
    private void sampleNative(long address, long size, Route route) {
        SampleHook hook = sampling;
        if (hook != null) {
            hook.allocated(address, size, route, false);
        }
    }

    /** Tells allocation sampling that a native block goes, before libc may hand its address out again. */
    private void forgetNative(long address) {
        SampleHook hook = sampling;
        if (hook != null) {
            hook.freed(address);
        }
    }

    /** The core counts its huge blocks (over 1 MiB) but not their bytes; each costs an mmap, so the add is noise there. */
    private void countHuge(long size) {
        if (size > SizeClasses.MAX_SIZE) {
            counters.emmaUncountedBytes.add(size);
        }
    }

    /**
     * Counts a reallocation Emma served the way passthrough mode counts one it sees
     * ({@link #reallocatedNatively}: an allocation of its new size, moved or not), except where the
     * core counted it already: a block moved into a size class is one of that class's allocations
     * in its statistics. Nothing else a reallocation does adds to those: a block resized in place, a
     * huge block grown (in place, or its pages moved), a block moved into a mapping of its own
     * (grown past 8 KiB, or over 1 MiB) counts as a huge block of 0 bytes. Not on the
     * allocate/free paths: a reallocation copies or remaps anyway.
     */
    private void countReallocated(long address, long moved, long size) {
        if (moved == address || !inPageArea(moved, size)) {
            counters.emmaUncountedBytes.add(size);
        }
    }

    /**
     * Whether a block a reallocation moved to lies in a size class's page: page areas start past
     * their segment's page bitmaps ({@link Layout#headerSize}), while a block in a mapping of its
     * own starts {@link Layout#HUGE_HEADER_SIZE} past its 4 MiB-aligned base (a reallocation makes
     * no other), or, moved with its mapping, at its alignment, which a block of 1 MiB or less
     * needs to be 4 MiB or more to move at all: below {@link Layout#BITMAPS} either way.
     */
    static boolean inPageArea(long moved, long size) {
        return size <= SizeClasses.MAX_SIZE && (moved & Layout.SEGMENT_MASK) >= Layout.BITMAPS;
    }

    private void countNative(long size) {
        counters.nativeAllocations.increment();
        counters.nativeBytes.add(size);
    }

    /** Counts a fallback; the first one is reported with its cause, the later ones only counted. */
    private void fallback(String what, Throwable cause) {
        if (cause instanceof NotReady) {
            return; // Emma is starting on this thread: native, like any block from before activation
        }
        counters.fallbacks.increment();
        if (fallbackReported.compareAndSet(false, true)) {
            report(what + "; the native allocator serves it instead. This is the first fallback: later ones are"
                    + " only counted (MBean dev.emma:type=Allocator, attribute Fallbacks)", cause);
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
