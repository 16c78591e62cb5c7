package dev.emma;

/**
 * An mmap-only off-heap allocator. Every block comes from segments this instance mapped itself
 * with raw {@code mmap} syscalls; no path calls {@code malloc}, {@code Unsafe.allocateMemory},
 * {@code Arena.allocate} or {@code ByteBuffer.allocateDirect}.
 *
 * <p>Contract (shared by every method): addresses are plain {@code long}s; {@code 0} is "no block".
 * Sizes below zero throw {@link IllegalArgumentException}; size {@code 0} returns {@code 0}, as
 * {@code Unsafe.allocateMemory(0)} does; exhaustion throws {@link OutOfMemoryError} with a message.
 * Blocks are 16-byte aligned at least. All methods are thread-safe; frees may come from any thread.
 *
 * <p>Bad frees never corrupt the heap: a foreign address, an address inside a block, or a block
 * freed twice is detected and ignored (counted in {@link EmmaStats#invalidFrees()}); with
 * {@link EmmaConfig#checks()} it throws {@link InvalidFreeException} instead.
 */
public final class Emma implements AutoCloseable {

    private final dev.emma.heap.Allocator allocator;

    private Emma(EmmaConfig config) {
        this.allocator = new dev.emma.heap.Allocator(config);
    }

    /** The process-wide instance (the one the agent uses), created on first use. */
    public static Emma global() {
        Emma instance = globalInstance; // volatile read: sees a fully built instance or null
        return instance != null ? instance : createGlobal();
    }

    /**
     * Sets the configuration of {@link #global()} before its first use.
     *
     * @throws IllegalStateException if the global instance already exists with another configuration
     */
    public static void configureGlobal(EmmaConfig config) {
        synchronized (GLOBAL_LOCK) {
            if (globalInstance != null && !globalInstance.config().equals(config)) {
                throw new IllegalStateException("the global Emma instance already exists with " + globalInstance.config());
            }
            globalConfig = config;
        }
    }

    /** A new independent instance with the default configuration. */
    public static Emma create() {
        return new Emma(EmmaConfig.defaults());
    }

    /** A new independent instance: it shares no mutable state with any other. */
    public static Emma create(EmmaConfig config) {
        return new Emma(config);
    }

    /** Allocates {@code size} bytes, 16-byte aligned; contents are undefined. */
    public long allocate(long size) {
        return allocator.allocate(size);
    }

    /** Allocates {@code size} bytes aligned to {@code alignment}, a power of two. */
    public long allocate(long size, long alignment) {
        return allocator.allocateAligned(size, alignment);
    }

    /** Allocates {@code size} zeroed bytes; memory fresh from the OS is not zeroed again. */
    public long allocateZeroed(long size) {
        return allocator.allocateZeroed(size);
    }

    /**
     * Resizes a block as {@code Unsafe.reallocateMemory} does: {@code address == 0} allocates,
     * {@code newSize == 0} frees and returns 0, otherwise the first {@code min(old, new)} bytes
     * are kept and the (possibly moved) address is returned.
     */
    public long reallocate(long address, long newSize) {
        return allocator.reallocate(address, newSize);
    }

    /** Frees a block; {@code free(0)} does nothing. Never needs the size. */
    public void free(long address) {
        // Allocator.free's two steps, called from here: one frame less above the raw accesses
        // (docs/architecture.md, "Call depth").
        if (!allocator.freeIfOwned(address)) {
            allocator.freeNotOwned(address);
        }
    }

    /**
     * Frees {@code address} if this instance owns it ({@link #owns}) and answers whether it did:
     * {@code owns(address)}, then {@code free(address)} if so, with one ownership look-up instead
     * of two. A foreign address (and 0) is left alone and answers false; an owned address that is
     * not a live block's start (a double free, an interior pointer) is handled as {@link #free}
     * handles it, and answers true: it is Emma's to report, never another allocator's to free.
     */
    public boolean freeIfOwned(long address) {
        return allocator.freeIfOwned(address);
    }

    /**
     * The usable size of a live block (at least what was asked for).
     *
     * @throws InvalidFreeException if {@code address} is not the start of a live block (in both
     *                              modes: there is no size to answer with)
     */
    public long usableSize(long address) {
        return allocator.usableSize(address);
    }

    /**
     * Whether {@code address} lies in memory this instance mapped for blocks. Answers for any
     * 64-bit value without reading memory Emma did not map, in O(1) and without a lock. An address
     * inside one of Emma's blocks is owned too: freeing it is Emma's error to report, never libc's.
     */
    public boolean owns(long address) {
        return allocator.owns(address);
    }

    /** A snapshot of the counters, aggregated now. */
    public EmmaStats stats() {
        return allocator.stats();
    }

    /** The bytes of Emma's mappings that are resident in RAM now (measured with {@code mincore}). */
    public long residentBytes() {
        return allocator.residentBytes();
    }

    /**
     * Hands over the calling thread's gathered frees: in the default mode a thread's frees of blocks
     * that another thread's heap allocated are gathered and handed to their pages in batches (up
     * to 64 KiB per size class, 256 KiB of them at most). A thread does this by itself as it goes on
     * allocating and freeing, and its batches are handed over when it dies; call this before a
     * thread that freed such blocks waits for a long time, so that their pages can go back. Until
     * then the blocks count as freed in {@link #stats()}, but their pages hold them.
     * {@link #trim()} does it too.
     */
    public void flushFrees() {
        allocator.flushFrees();
    }

    /**
     * Returns to the OS, now, every page and segment that holds no live block (after handing over
     * the calling thread's gathered frees, see {@link #flushFrees()}).
     *
     * @throws dev.emma.os.SyscallException if a syscall that returns memory fails (an
     *         {@link OutOfMemoryError} if it fails with ENOMEM); what it could not return stays in
     *         use and goes back at a later purge, and every block stays valid
     */
    public void trim() {
        allocator.trim();
    }

    /**
     * Tells {@code listener} of each background purge that failed to return memory to the OS (the
     * kernel refused a madvise or munmap: {@link dev.emma.os.SyscallException}, or
     * {@link OutOfMemoryError} for ENOMEM). Emma says nothing by itself: it keeps that memory,
     * counts the failure in {@link EmmaStats#returnFailures()} and tries again at a later purge.
     * Called on the purger thread; a listener that throws is ignored. One listener per instance
     * (the agent logs the first failure); {@code null} removes it.
     */
    public void onReturnFailure(java.util.function.Consumer<? super Throwable> listener) {
        allocator.onReturnFailure(listener);
    }

    public EmmaConfig config() {
        return allocator.config();
    }

    /** Unmaps everything this instance mapped. Blocks still live become invalid. Not for {@link #global()}. */
    @Override
    public void close() {
        if (this == globalInstance) {
            throw new UnsupportedOperationException("the global Emma instance cannot be closed");
        }
        allocator.close();
    }

    private static final Object GLOBAL_LOCK = new Object();
    private static EmmaConfig globalConfig; // guarded by GLOBAL_LOCK
    private static volatile Emma globalInstance; // written once under GLOBAL_LOCK

    private static Emma createGlobal() {
        synchronized (GLOBAL_LOCK) {
            if (globalInstance == null) {
                globalInstance = new Emma(globalConfig != null ? globalConfig : EmmaConfig.fromProcess());
            }
            return globalInstance;
        }
    }
}
