package dev.emma.heap;

import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.InvalidFreeException;
import dev.emma.huge.HugeBlocks;
import dev.emma.memory.Memory;
import dev.emma.os.Failures;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.page.SizeClasses;
import dev.emma.segment.Layout;
import dev.emma.segment.Mapper;
import dev.emma.segment.SegmentMap;
import dev.emma.segment.SegmentPool;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Emma instance: routes each request to a thread heap (small and medium blocks on platform
 * threads), a shared heap (large blocks, and virtual threads, which come and go by the million) or the huge
 * tier, and validates every address it is handed before touching anything near it.
 */
public final class Allocator {
    private static final long MAX_ALIGNMENT = 1L << 40;

    private final EmmaConfig config;
    private final SegmentMap map;
    private final Mapper mapper;
    private final SegmentPool pool;
    private final Pages pages;
    private final HugeBlocks huge;
    private final Heaps heaps;
    /** Heaps.stateCache() and map.table(), kept here so the fast paths reach them with one load less. */
    private final long[][] stateCache;
    private final long mapTable;
    private final Purger purger;
    private final HandOverHooks hooks;
    /** Checks mode: an owner's free claims its block (Heap.unmark), which costs two atomics. */
    private final boolean checks;
    private final AtomicLong invalidFrees = new AtomicLong();
    private final AtomicLong returnFailures = new AtomicLong();
    /** Told of each failed background purge; volatile: set by any thread, read by the purger. */
    private volatile Consumer<? super Throwable> returnFailureListener;
    // Plain, not volatile: a call racing with close() is the caller's error; what matters is that
    // calls made after close() returned (ordered by the caller's own synchronisation) see it.
    private boolean closed;

    public Allocator(EmmaConfig config) {
        this(config, HandOverHooks.NONE);
    }

    /** An instance whose page hand-overs call {@code hooks} (tests: forced interleavings). */
    Allocator(EmmaConfig config, HandOverHooks hooks) {
        this(config, hooks, new Mapper(new SegmentMap(), config.maxMappedBytes()));
    }

    /** An instance that maps through {@code mapper} (tests: failing syscalls); it owns its map. */
    Allocator(EmmaConfig config, HandOverHooks hooks, Mapper mapper) {
        this.config = config;
        this.hooks = hooks;
        this.checks = config.checks();
        this.map = mapper.map();
        this.mapper = mapper;
        this.pool = new SegmentPool(mapper);
        this.pages = new Pages(pool, hooks, config.checks());
        this.huge = HandOverHooks.ENABLED && hooks != HandOverHooks.NONE
                ? new HugeBlocks(mapper, address -> hooks.reached(HandOverHooks.Point.HUGE_LIVE_CHECKED, address))
                : new HugeBlocks(mapper);
        this.heaps = new Heaps(config.sharedHeaps(), pages, invalidFrees);
        this.stateCache = heaps.stateCache();
        this.mapTable = map.table();
        this.purger = new Purger(this, config.purgeDelay().toNanos(), config.backgroundPurge());
        // An anonymous class, not a lambda: a lambda is a class spun at every start.
        mapper.onCapReached(new Runnable() {
            @Override
            public void run() {
                relieveCap();
            }
        });
    }

    /**
     * A mapping would pass maxMappedBytes: gives back what is mapped only for reuse, whatever the
     * purge delay (freed huge mappings in the cache, and those whose munmap failed before; wholly
     * free segments), so that freed blocks do not make an allocation throw (empty pages a live heap
     * keeps, its spares and current pages, are not given back here: docs/architecture.md). Runs on the
     * cap's failure path only ({@link Mapper#reserve}), possibly under the pool's lock (a new
     * segment), never under the huge blocks' one.
     */
    private void relieveCap() {
        Throwable failure = null;
        try {
            huge.purge(System.nanoTime(), 0);
        } catch (RuntimeException | Error e) {
            returnFailures.incrementAndGet();
            failure = e;
        }
        try {
            pool.retireEmptySegments();
        } catch (RuntimeException | Error e) {
            returnFailures.incrementAndGet();
            failure = Failures.add(failure, e);
        }
        Failures.rethrow(failure);
    }

    public EmmaConfig config() {
        return config;
    }

    // ---- allocation ------------------------------------------------------------------------

    /**
     * The fast path of {@link #allocateClass} is written out here, not called: every frame between
     * {@code Emma.allocate} and a raw access counts against C2's inlining depth (docs/architecture.md,
     * "Call depth"), and this is the one entry most callers use. The zeroed and aligned entries,
     * less hot, share {@link #allocateClass}.
     */
    public long allocate(long size) {
        if (size <= 0) {
            return nonPositive(size);
        }
        if (size > SizeClasses.MAX_SIZE) {
            return huge(size, 16, false);
        }
        int c = SizeClasses.classOf(size);
        ensureOpen();
        Thread thread = Thread.currentThread();
        if (c <= Heaps.LAST_THREAD_HEAP_CLASS) {
            long[] state = Heaps.cachedState(stateCache, thread.threadId());
            if (state != null) {
                long block = Heap.next(state, c, checks, true, false);
                if (block != 0) {
                    return block;
                }
            }
        }
        return allocateSlow(c, false, size, thread);
    }

    public long allocateZeroed(long size) {
        if (size <= 0) {
            return nonPositive(size);
        }
        if (size > SizeClasses.MAX_SIZE) {
            return huge(size, 16, true);
        }
        return allocateClass(SizeClasses.classOf(size), true, size);
    }

    public long allocateAligned(long size, long alignment) {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0 || alignment > MAX_ALIGNMENT) {
            throw new IllegalArgumentException("alignment must be a power of two up to 2^40, was " + alignment);
        }
        if (size <= 0) {
            return nonPositive(size);
        }
        if (alignment <= 16) {
            return allocate(size);
        }
        // A power-of-two block up to 64 KiB sits at a multiple of its size (page areas start on a
        // multiple of their kind's largest block: PageKind.areaAlignment), so it is aligned to any
        // alignment up to its size.
        if (size <= PageKind.MEDIUM.maxBlockSize && alignment <= PageKind.MEDIUM.maxBlockSize) {
            long rounded = Long.highestOneBit(Math.max(size, alignment) - 1) << 1;
            return allocateClass(SizeClasses.classOf(rounded), false, size);
        }
        // Large classes are multiples of 8 KiB in 8 KiB-aligned areas.
        if (size <= SizeClasses.MAX_SIZE && size > PageKind.MEDIUM.maxBlockSize && alignment <= 8192) {
            return allocateClass(SizeClasses.classOf(size), false, size);
        }
        return huge(size, alignment, false);
    }

    private long huge(long size, long alignment, boolean zero) {
        ensureOpen();
        purger.ensureStarted();
        return huge.allocate(size, alignment, zero);
    }

    private static long nonPositive(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        return 0;
    }

    /**
     * A closed instance has unmapped its memory: every entry point checks this first, so a call
     * after close() gets an exception instead of touching unmapped memory. (A call racing with
     * close() is the caller's error, as for any resource.)
     */
    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this Emma instance is closed");
        }
    }

    private long allocateClass(int c, boolean zeroed, long size) {
        ensureOpen();
        Thread thread = Thread.currentThread();
        // Fast path: a small or medium class on a platform thread whose heap's state is cached
        // (Heaps.cachedState: no isVirtual() check, and the heap is known to be a thread heap, so
        // no isShared() either) and whose current page has a block. Anything else takes
        // allocateSlow from the start (a fast path that returned 0 changed nothing).
        if (c <= Heaps.LAST_THREAD_HEAP_CLASS) {
            long[] state = Heaps.cachedState(stateCache, thread.threadId());
            if (state != null) {
                long block = Heap.next(state, c, checks, true, zeroed);
                if (block != 0) {
                    if (zeroed && !Heap.lastZero(state)) {
                        Memory.fill(block, size, (byte) 0);
                    }
                    return block;
                }
            }
        }
        return allocateSlow(c, zeroed, size, thread);
    }

    /** {@link #allocateClass} off its fast path: any heap, refills, shared heaps' monitors. */
    private long allocateSlow(int c, boolean zeroed, long size, Thread thread) {
        Heap heap = heaps.serving(thread, c);
        long block;
        boolean zero;
        if (!heap.isShared()) {
            block = heap.allocate(c, checks, zeroed);
            if (block == 0) {
                block = refill(heap, c);
            }
            zero = heap.lastZero();
        } else {
            try {
                synchronized (heap) {
                    block = heap.allocate(c, checks, zeroed);
                    if (block == 0) {
                        block = refill(heap, c);
                    }
                    zero = heap.lastZero();
                }
            } catch (OutOfMemoryError e) {
                return fromOtherLargeClassHeap(heap, c, zeroed, size, e);
            }
        }
        if (zeroed && !zero) {
            Memory.fill(block, size, (byte) 0);
        }
        return block;
    }

    /**
     * A large-class block from the current page of another of the heaps large classes are spread
     * over, when {@code failed}'s refill could not map a segment (the maxMappedBytes cap, or the
     * kernel): room that another heap's page still has is not lost to the spread. One monitor at a
     * time, as everywhere. Rethrows {@code failure} when none has room.
     */
    private long fromOtherLargeClassHeap(Heap failed, int c, boolean zeroed, long size, OutOfMemoryError failure) {
        if (c <= Heaps.LAST_THREAD_HEAP_CLASS) {
            throw failure;
        }
        for (int i = 0; i < heaps.largeClassHeaps(); i++) {
            Heap other = heaps.shared(i);
            if (other == failed) {
                continue;
            }
            long block;
            boolean zero;
            synchronized (other) {
                block = other.take(c, checks); // its page's free list or carving; no refill
                zero = other.lastZero();
            }
            if (block != 0) {
                if (zeroed && !zero) {
                    Memory.fill(block, size, (byte) 0);
                }
                return block;
            }
        }
        throw failure;
    }

    private long refill(Heap heap, int c) {
        purger.ensureStarted();
        if (!heap.isShared()) {
            heap.freeBatch.flush(pages, heaps); // a thread that allocates hands its gathered frees over often
        }
        return pages.refill(heap, c);
    }

    // ---- free ------------------------------------------------------------------------------

    public void free(long address) {
        if (!freeIfOwned(address)) {
            freeNotOwned(address);
        }
    }

    /**
     * What {@link #free} does with an address {@link #freeIfOwned} left alone: nothing for 0, else
     * an exception if this instance is closed, else an invalid free (not Emma's). Public so that
     * {@code Emma.free} calls the two itself, one frame above the raw accesses (see {@link #allocate}).
     */
    public void freeNotOwned(long address) {
        if (address != 0) {
            ensureOpen();
            invalid("free", address, "not allocated by this Emma instance");
        }
    }

    /**
     * {@link #free} for an address this instance owns, as {@link #owns} answers, and whether it was
     * one; a foreign address (and 0, and any address once closed) is left alone and answers false.
     * One map look-up for both answers: the agent's free, where most addresses are Emma's.
     */
    public boolean freeIfOwned(long address) {
        if (closed || address == 0) {
            return false;
        }
        byte entry = SegmentMap.get(mapTable, address);
        if (entry >= SegmentMap.PAGES_MIN) {
            // A block of a page: written out here, not called, as allocate's fast path is.
            long p = pageOf(address, entry);
            int c = Page.sizeClass(p);
            Thread thread = Thread.currentThread();
            long[] mine = Heaps.cachedState(stateCache, thread.threadId()); // no isVirtual() check: see Heaps.cachedState
            // The heap's current page of the class: ours by definition (only this thread attaches
            // pages to its heap), and the block's index from the heap's copies of the page's fields,
            // with no read of its record past the class.
            if (mine != null && p == Heap.page(mine, c)) {
                long bit = Heap.indexInPage(mine, c, address);
                if (bit < 0) {
                    invalid("free", address, NOT_A_BLOCK);
                } else {
                    int freed = Heap.freeOwned(mine, c, address, bit, checks, hooks);
                    if (freed != Heap.FREED) {
                        freedOwnedCurrent(thread, c, address, freed);
                    }
                }
            } else {
                freeNotCurrent(thread, c, p, address);
            }
            return true;
        }
        if (entry == SegmentMap.NONE) {
            return false;
        }
        if (entry != SegmentMap.HUGE_START && entry != SegmentMap.HUGE_REST) {
            invalid("free", address, "not allocated by this Emma instance");
        } else if (!huge.free(address)) {
            invalid("free", address, "not the start of a live huge block (double free or interior pointer)");
        }
        return true;
    }

    /** The fast free's other outcomes, off its path (the heap looked up only here). */
    private void freedOwnedCurrent(Thread thread, int c, long address, int freed) {
        afterOwnerFree(heaps.forThread(thread), c, address, freed);
    }

    /** An owner's free into its current page that did not just free: a double free, or an emptied medium page to park. */
    private void afterOwnerFree(Heap owner, int c, long address, int freed) {
        if (freed == Heap.NOT_LIVE) {
            invalid("free", address, "double free");
        } else if (freed == Heap.EMPTIED) {
            pages.parkEmptied(owner, c);
        }
    }

    private static final String NOT_A_BLOCK = "not the start of a block in use (interior pointer, or a free page)";

    /** {@link #freeIfOwned} off its fast path: a page that is not the cached heap's current page. */
    private void freeNotCurrent(Thread thread, int c, long p, long address) {
        long bit = blockIndex(p, c, address);
        if (bit < 0) {
            invalid("free", address, NOT_A_BLOCK);
            return;
        }
        Heap mine = thread.isVirtual() ? null : heaps.forThread(thread);
        if (mine != null) {
            // The current page of a heap the cache missed, or a page the heap retains (see Heap):
            // only this thread writes its own id into a page, so the owner's equality cannot be stale.
            if (p == mine.page(c) || Page.owner(p) == mine.id) {
                freeAsOwner(mine, c, p, address, bit);
                return;
            }
        }
        // Default mode: gathered with this thread's other frees into the same bitmap word and handed
        // over in one step (FreeBatch; a bad free it finds only then is uncounted then). Checks
        // mode frees at once, so that a bad free throws here.
        if (mine != null && !checks && FreeBatch.gathers(c)) {
            if (mine.freeBatch.add(pages, heaps, c, p, bit)) {
                mine.countRemoteFree(c);
            } else {
                invalid("free", address, "double free");
            }
            return;
        }
        if (pages.freeRemote(c, p, bit) != Pages.FREED) {
            invalid("free", address, "double free");
            return;
        }
        heaps.countRemoteFree(mine, c);
    }

    /**
     * The owner's free into its page {@code p}: the heap's current page of the class (plain stores
     * on the heap's cached fields), else a page it retains (on the page's record). The caller is
     * the heap's thread.
     */
    private void freeAsOwner(Heap owner, int c, long p, long address, long bit) {
        if (p == owner.page(c)) {
            afterOwnerFree(owner, c, address, owner.freeOwned(c, address, bit, checks, hooks));
        } else {
            freeRetained(owner, c, p, address, bit);
        }
    }

    /** The owner's free into a page it retains: off the fast path, so that freeIfOwned stays small. */
    private void freeRetained(Heap mine, int c, long p, long address, long bit) {
        int freed = mine.freeRetained(c, p, address, bit, checks, hooks);
        if (freed == Heap.NOT_LIVE) {
            invalid("free", address, "double free");
        } else if (freed == Heap.EMPTIED) {
            pages.spare(mine, c, p);
        }
    }

    /** The page record of an address in a pages segment whose map entry is {@code pageShift}. */
    private static long pageOf(long address, int pageShift) {
        long base = Layout.segmentOf(address);
        return Layout.pageRecord(base, (int) ((address - base) >>> pageShift));
    }

    /**
     * The index of the block starting at {@code address} in page {@code p} of class {@code c}; -1
     * if the address is inside a block, in the header or tail, or in a FREE page (capacity 0).
     */
    private static long blockIndex(long p, int c, long address) {
        long offset = address - Page.areaStart(p);
        if (offset < 0) {
            return -1;
        }
        long index = Math.unsignedMultiplyHigh(offset, Page.reciprocal(p));
        if (index >= Page.capacity(p) || index * Page.blockSize(p) != offset) {
            return -1;
        }
        return index;
    }

    /** Whether the block at {@code index} of page {@code p} is live: alloc bit set, remote bit clear (see {@link Page}). */
    private static boolean isLive(long p, long index) {
        long word = Layout.bitmapWord(Layout.allocBitmap(p), index);
        return (((Memory.getLong(word) & ~Memory.getLong(word + Layout.BITMAP_BYTES)) >>> index) & 1) != 0;
    }

    private void invalid(String operation, long address, String reason) {
        invalidFrees.incrementAndGet();
        if (checks) {
            throw new InvalidFreeException(operation, address, reason);
        }
    }

    // ---- queries and reallocation -----------------------------------------------------------

    public boolean owns(long address) {
        return !closed && map.get(address) != SegmentMap.NONE;
    }

    public long usableSize(long address) {
        long size = liveUsableSize(address);
        if (size < 0) {
            throw new InvalidFreeException("usableSize", address, "not the start of a live Emma block");
        }
        return size;
    }

    /** The usable size of a live block, or -1 if {@code address} is not one. */
    private long liveUsableSize(long address) {
        ensureOpen();
        byte entry = map.get(address);
        if (entry >= SegmentMap.PAGES_MIN) {
            long p = pageOf(address, entry);
            int c = Page.sizeClass(p);
            long index = blockIndex(p, c, address);
            return index >= 0 && isLive(p, index) ? SizeClasses.blockSize(c) : -1;
        }
        if (entry == SegmentMap.HUGE_START || entry == SegmentMap.HUGE_REST) {
            return huge.liveUsableSize(address); // one step: a racing free cannot unmap it in between
        }
        return -1;
    }

    public long reallocate(long address, long newSize) {
        if (newSize < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + newSize);
        }
        if (address == 0) {
            return allocate(newSize);
        }
        long usable = liveUsableSize(address);
        if (usable < 0) {
            // Unlike a bad free this cannot be ignored: the caller would lose its data.
            invalidFrees.incrementAndGet();
            throw new InvalidFreeException("reallocate", address, "not the start of a live Emma block");
        }
        if (newSize == 0) {
            free(address);
            return 0;
        }
        boolean isHuge = map.get(address) < SegmentMap.PAGES_MIN;
        if (newSize <= usable) {
            if (isHuge ? newSize > SizeClasses.MAX_SIZE || newSize * 2 >= usable
                    : newSize * 2 >= usable || SizeClasses.classOf(newSize) == SizeClasses.classOf(usable)) {
                return address; // fits, and not so much smaller that a smaller block would pay off
            }
        } else if (isHuge) {
            return huge.grow(address, newSize); // in place, or its pages move with mremap: no copy
        }
        long moved = newSize > usable ? grownMapping(newSize) : 0;
        if (moved == 0) {
            moved = allocate(newSize);
        }
        Memory.copy(address, moved, Math.min(usable, newSize));
        free(address);
        return moved;
    }

    /**
     * A mapping of its own for a block that grows to {@code newSize}, where it can grow in place
     * from then on: growth by doubling then copies only up to that size. Past GROW_IN_MAPPING
     * always; past GROW_IN_CACHED_MAPPING only into a cached mapping (no syscall), because a fresh
     * mapping per grown block costs an mmap and page faults where many are grown and freed. 0 when
     * the block stays in a size class. Bounded, so that many grown blocks cannot use up the mappings.
     */
    private long grownMapping(long newSize) {
        if (newSize <= GROW_IN_CACHED_MAPPING || huge.liveBlocks() >= MAX_GROWN_MAPPINGS) {
            return 0;
        }
        return newSize > GROW_IN_MAPPING ? huge(newSize, 16, false) : huge.allocateCached(newSize);
    }

    private static final long GROW_IN_MAPPING = 32 * 1024;
    private static final long GROW_IN_CACHED_MAPPING = 8 * 1024;
    private static final long MAX_GROWN_MAPPINGS = 1024;

    // ---- returning memory, statistics, close ------------------------------------------------

    /**
     * Called by the purger thread, and by trim() with a zero delay. The huge blocks' purge runs even
     * when the pool's throws (a failed syscall): a failure that lasted made every tick skip it.
     */
    void purge(long delayNanos) {
        heaps.reclaim(delayNanos == 0);
        long now = System.nanoTime();
        try {
            pool.purge(now, delayNanos);
        } catch (RuntimeException | Error e) {
            returnFailures.incrementAndGet();
            try {
                huge.purge(now, delayNanos);
            } catch (RuntimeException | Error again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        try {
            huge.purge(now, delayNanos);
        } catch (RuntimeException | Error e) {
            returnFailures.incrementAndGet();
            throw e;
        }
    }

    /**
     * A background purge failed ({@link Purger}): tells the listener, if any. A listener that throws
     * is ignored: it must not stop the purger.
     */
    void backgroundPurgeFailed(Throwable failure) {
        Consumer<? super Throwable> listener = returnFailureListener;
        if (listener != null) {
            try {
                listener.accept(failure);
            } catch (RuntimeException | Error ignored) {
                // the listener's own fault (an Error too: it must not end the purger's thread);
                // the failure is still counted in stats()
            }
        }
    }

    /** See {@link dev.emma.Emma#onReturnFailure}. */
    public void onReturnFailure(Consumer<? super Throwable> listener) {
        returnFailureListener = listener;
    }

    /** Hands over the calling thread's gathered frees ({@link FreeBatch}). */
    public void flushFrees() {
        ensureOpen();
        heaps.flushFreeBatch(Thread.currentThread());
    }

    /** Bytes of the calling platform thread's gathered frees ({@link FreeBatch}; tests). */
    long gatheredBytes() {
        return heaps.forThread(Thread.currentThread()).freeBatch.gatheredBytes();
    }

    public void trim() {
        flushFrees();
        purge(0);
    }

    public EmmaStats stats() {
        return heaps.stats(mapper, huge, pool.segmentCount(), invalidFrees.get(), returnFailures.get());
    }

    public long residentBytes() {
        ensureOpen();
        long pageSize = 4096;
        return ResidentPages.measure(pool, huge, pageSize);
    }

    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        purger.stop();
        // Each step whatever the one before threw: a failed munmap must not keep the rest mapped.
        Throwable failure = null;
        try {
            huge.close();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        try {
            pool.close();
        } catch (RuntimeException | Error e) {
            failure = Failures.add(failure, e);
        }
        try {
            map.close();
        } catch (RuntimeException | Error e) {
            failure = Failures.add(failure, e);
        }
        Failures.rethrow(failure);
    }
}
