package dev.emma.heap;

import dev.emma.EmmaStats;
import dev.emma.huge.HugeBlocks;
import dev.emma.page.PageKind;
import dev.emma.page.SizeClasses;
import dev.emma.segment.Mapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The heaps of one instance: a thread heap per platform thread that allocates small or medium
 * blocks, and a fixed set of shared heaps (used under their monitor) for large blocks and for
 * virtual threads.
 * Also the counters of heaps that are gone, so statistics stay cumulative.
 */
final class Heaps {
    private final Pages pages;
    private final Heap[] shared;
    private final ThreadLocal<Heap> threadHeap = new ThreadLocal<>();
    /**
     * A direct-mapped cache in front of {@link #threadHeap}, indexed by thread id: one array load
     * instead of a ThreadLocal hash probe on every operation. Entries are written only when a heap
     * is registered; a reader that finds another thread's heap (or a stale one) checks
     * {@link Heap#threadId} and falls back to the ThreadLocal, so a racy read is only slower.
     */
    private final Heap[] byThreadId = new Heap[4096];
    /**
     * The same cache holding each heap's {@link Heap#state} array, which carries its thread's id:
     * the fast paths' look-up, one dependent load shorter than going through the Heap. Written
     * with {@link #byThreadId}, under this lock.
     */
    private final long[][] statesByThreadId = new long[byThreadId.length][];
    private final List<Heap> threadHeaps = new ArrayList<>(); // guarded by this
    private int nextId = 1;                                   // guarded by this; ids are never reused

    // Frees made by threads without a heap (and counters of reclaimed heaps): atomics, since many
    // threads add to them; this is off the owner's fast path.
    private final AtomicLongArray orphanFrees = new AtomicLongArray(SizeClasses.COUNT);
    private final AtomicLongArray retiredAllocations = new AtomicLongArray(SizeClasses.COUNT);

    /** The instance's count of invalid frees: {@link FreeBatch} finds some only when it hands a batch over. */
    private final AtomicLong invalidFrees;

    Heaps(int sharedCount, Pages pages, AtomicLong invalidFrees) {
        this.pages = pages;
        this.invalidFrees = invalidFrees;
        this.shared = new Heap[sharedCount];
        synchronized (this) {
            for (int i = 0; i < sharedCount; i++) {
                shared[i] = new Heap(nextId++, null);
            }
        }
    }

    /**
     * Which heap serves class {@code c} for {@code thread}: the one place that decides. Small and
     * medium classes on platform threads: the thread's own heap (no lock). Large classes
     * (whole-segment pages), and every class on virtual threads (which come and go by the
     * million): a shared heap, which callers lock ({@link Heap#isShared()}), spread by thread id.
     * Large classes all went to the first shared heap (one partly carved 4 MiB page per class, not
     * one per heap): two threads then took turns at one lock, and each reused blocks the other had
     * just written (Apache Arrow batches, 2 threads, 5 interleaved rounds: 1,123-1,234 batches/s,
     * spread 1,299-1,357, glibc 1,484-1,609; spike-idle +8-10%, peak and idle RSS level). Large
     * classes use at most {@link #LARGE_CLASS_HEAPS} of them: each keeps its own page per class, a
     * whole mapped segment. A shared heap's idle pages go back at the purger's next tick
     * ({@link #reclaim}).
     */
    Heap serving(Thread thread, int c) {
        boolean large = c > LAST_THREAD_HEAP_CLASS;
        if (!large && !thread.isVirtual()) {
            return forThread(thread, true);
        }
        return shared[(int) Long.remainderUnsigned(thread.threadId() * 0x9E3779B97F4A7C15L >>> 16,
                large ? largeClassHeaps() : shared.length)];
    }

    /**
     * How many shared heaps large classes are spread over. A large page is a 4 MiB segment, mapped
     * whole, so each such heap may map one per large class it serves: the bound keeps that at
     * {@value #LARGE_CLASS_HEAPS} times the one-heap figure, in mapped bytes (the
     * {@code maxMappedBytes} cap) and, under {@code vm.overcommit_memory=2}, in commit charge.
     */
    int largeClassHeaps() {
        return Math.min(shared.length, LARGE_CLASS_HEAPS);
    }

    /** See {@link #largeClassHeaps()}. */
    static final int LARGE_CLASS_HEAPS = 4;

    /** The {@code i}th shared heap (large-class fallback: {@link Allocator}). */
    Heap shared(int i) {
        return shared[i];
    }

    /** The largest class thread heaps serve (small and medium pages); larger ones go to the shared heaps. */
    static final int LAST_THREAD_HEAP_CLASS = SizeClasses.classOf(PageKind.MEDIUM.maxBlockSize);
    /** The largest class of small pages. */
    static final int LAST_SMALL_CLASS = SizeClasses.classOf(PageKind.SMALL.maxBlockSize);

    /**
     * The calling platform thread's heap, created on its first allocation or first free (a thread
     * that only frees, like the JDK's Cleaner, gets one for its counters; it never holds a page).
     */
    Heap forThread(Thread thread) {
        return forThread(thread, false);
    }

    /**
     * As {@link #forThread(Thread)}; a thread registered for an allocation ({@code allocating})
     * inherits a dead thread's heap if there is one. One registered by a free does not: a thread
     * that only frees would hold the dead thread's pages, holes and all, for as long as it lives.
     */
    private Heap forThread(Thread thread, boolean allocating) {
        Heap heap = cached(thread.threadId());
        if (heap != null) {
            return heap;
        }
        heap = threadHeap.get();
        return heap != null ? heap : register(thread, allocating);
    }

    /**
     * The heap of the thread with id {@code tid} if the cache holds it, else null (then ask
     * {@link #forThread}, or the thread is virtual). The fast path's look-up: it needs no
     * {@code isVirtual()} check, because only platform threads' heaps are ever cached and thread
     * ids are unique across platform and virtual threads, so a virtual thread always misses.
     */
    Heap cached(long tid) {
        Heap heap = byThreadId[(int) tid & (byThreadId.length - 1)];
        return heap != null && heap.threadId == tid ? heap : null;
    }

    /**
     * The {@link Heap#state} array of the calling thread's heap, {@code tid} being its thread's id,
     * if {@code cache} ({@link #stateCache()}) holds it, else null; as {@link #cached(long)}. A racy
     * read: the array's thread id was written by the thread that registered or inherited the
     * heap, which is that heap's thread, so it can match only on the thread the array belongs to
     * (ids are never reused; a stale one is a dead thread's), and any other thread sees a mismatch
     * (or a not yet written id: 0 is no thread's) and takes the slow path.
     */
    static long[] cachedState(long[][] cache, long tid) {
        long[] state = cache[(int) tid & (cache.length - 1)];
        return state != null && Heap.threadId(state) == tid ? state : null;
    }

    /** The thread-id cache of state arrays (the same array for the instance's lifetime). */
    long[][] stateCache() {
        return statesByThreadId;
    }

    private Heap register(Thread thread, boolean allocating) {
        Heap heap = reclaimDeadThreadHeaps(allocating ? thread : null);
        synchronized (this) {
            if (heap == null) {
                heap = new Heap(nextId++, thread);
                threadHeaps.add(heap);
            }
            int slot = (int) thread.threadId() & (byThreadId.length - 1);
            Heap there = byThreadId[slot];
            if (there == null || there.thread.get() == null || !there.thread.get().isAlive()) {
                byThreadId[slot] = heap;
                statesByThreadId[slot] = heap.stateArray();
            }
        }
        threadHeap.set(heap);
        return heap;
    }

    /** Counts a free the calling thread made into a page it does not own ({@code mine} null: a virtual thread). */
    /**
     * A hand-over of gathered frees of class {@code c} ({@link FreeBatch}) found {@code invalid} of
     * them not live: bad frees, seen only then, and counted as {@code owner}'s frees when they
     * were gathered.
     */
    void uncountBatchedFrees(Heap owner, int c, int invalid) {
        owner.countRemoteFrees(c, -invalid);
        invalidFrees.addAndGet(invalid);
    }

    /** Hands over the calling thread's gathered frees, if it has a heap (trim()); creates none. */
    void flushFreeBatch(Thread thread) {
        if (thread.isVirtual()) {
            return;
        }
        Heap heap = cached(thread.threadId());
        if (heap == null) {
            heap = threadHeap.get();
        }
        if (heap != null) {
            heap.freeBatch.flush(pages, this);
        }
    }

    void countRemoteFree(Heap mine, int c) {
        if (mine != null) {
            mine.countRemoteFree(c);
        } else {
            orphanFrees.incrementAndGet(c);
        }
    }

    /**
     * Gives back what idle heaps hold: every page of a dead thread's heap (the heap is then
     * dropped), the retained pages and empty current pages of shared heaps that allocated nothing
     * since the last call (or of all of them when {@code everything}), and the spares of thread
     * heaps that allocated nothing since the last call (all spares when {@code everything}). Live
     * thread heaps keep their other pages, a bounded number per class (see {@link Heap}).
     */
    void reclaim(boolean everything) {
        reclaimDeadThreadHeaps(null);
        List<Heap> live;
        synchronized (this) {
            live = new ArrayList<>(threadHeaps);
        }
        for (Heap h : live) {
            // A racy read of the owner's counters: only a hint that the heap stayed idle for a tick.
            long seen = h.totalAllocations();
            if (everything || seen == h.allocationsSeenByPurger) {
                pages.releaseSpares(h);
            }
            h.allocationsSeenByPurger = seen;
        }
        for (Heap h : shared) {
            synchronized (h) {
                long seen = h.totalAllocations();
                if (everything || seen == h.allocationsSeenByPurger) {
                    releaseAll(h, false);
                }
                h.allocationsSeenByPurger = seen;
            }
        }
    }

    /**
     * Detaches every page of heaps whose thread is dead and drops those heaps; but a new thread
     * registering for an allocation ({@code heir}, null otherwise) inherits the first dead heap
     * whole instead ({@link Heap#inherit}), and gets it back. Run by the purger, and by each new
     * thread before it registers its heap: threads that come and go then go on with the pages
     * their predecessors left, holes and all (ThreadChurn, 16 threads to a wave on 2 cores: each
     * dead heap's pages detached under class locks, queued and adopted back one by one cost
     * throughput and left the new threads' pages fuller of memory no block used). The other dead
     * heaps are detached at once, as before: left for later heirs instead, heaps were never
     * dissolved, and their retained pages and spares added up (ThreadChurn wave=2: peak RSS
     * 140-162 against 133-139 MiB, 5 rounds).
     */
    private Heap reclaimDeadThreadHeaps(Thread heir) {
        List<Heap> dead = new ArrayList<>();
        Heap inherited = null;
        synchronized (this) {
            for (Iterator<Heap> it = threadHeaps.iterator(); it.hasNext(); ) {
                Heap h = it.next();
                Thread t = h.thread.get();
                // isAlive() == false happens-after everything the thread did (JLS 17.4.4).
                if (t != null && t.isAlive()) {
                    continue;
                }
                forgetCachedHeap(h);
                // The heir itself saw isAlive() == false, so the heap's plain state is its to read;
                // a heap whose thread was collected (no such edge) is detached, never inherited.
                if (heir != null && inherited == null && t != null) {
                    inherited = h; // stays in threadHeaps, counters and all: no stats() snapshot misses them
                    h.inherit(heir);
                } else {
                    it.remove();
                    dead.add(h);
                }
            }
            // Its gathered frees first, so that the counters folded below are final. Class and pool
            // locks inside this one: neither is ever held while this one is taken.
            for (Heap h : dead) {
                h.freeBatch.flush(pages, this);
            }
            // A dead heap's counters are final: fold them in under the same lock stats() reads
            // with, so no snapshot sees the heap in neither place.
            for (Heap h : dead) {
                for (int c = 0; c < SizeClasses.COUNT; c++) {
                    retiredAllocations.addAndGet(c, h.allocations(c));
                    orphanFrees.addAndGet(c, h.frees(c));
                }
            }
            // Their pages too, before another thread can register: released after the lock, a
            // thread registering meanwhile found no dead heap and no page in the reuse queue yet,
            // and took a fresh page beside the ones being let go (SharedHeapChurnTest, 7 of 10
            // runs on 2026-11-29: four pages for three threads' blocks).
            for (Heap h : dead) {
                releaseAll(h, true);
            }
        }
        return inherited;
    }

    /** Clears the thread-id cache's entry of a dead thread's heap; the caller holds this lock. */
    private void forgetCachedHeap(Heap h) {
        int slot = (int) h.threadId & (byThreadId.length - 1);
        if (byThreadId[slot] == h) {
            byThreadId[slot] = null;
            statesByThreadId[slot] = null;
        }
    }

    /**
     * Detaches the heap's pages: all of them, or (an idle shared heap) its retained pages and its
     * current pages with no block in use.
     */
    private void releaseAll(Heap h, boolean all) {
        if (all) {
            pages.releaseSpares(h);
        }
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            if (all || h.isShared()) {
                pages.detachRetained(h, c);
            }
            long p = h.page(c);
            if (p == 0) {
                continue;
            }
            if (!all) {
                pages.collect(h, c, p);
            }
            if (all || h.used(c) == 0) {
                pages.detach(h, c);
            }
        }
    }

    EmmaStats stats(Mapper mapper, HugeBlocks huge, int segments, long invalidFrees, long returnFailures) {
        long[] allocs = new long[SizeClasses.COUNT];
        long[] frees = new long[SizeClasses.COUNT];
        int heapCount;
        synchronized (this) {
            heapCount = threadHeaps.size() + shared.length;
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                allocs[c] = retiredAllocations.get(c);
                frees[c] = orphanFrees.get(c);
            }
            List<Heap> all = new ArrayList<>(threadHeaps);
            all.addAll(List.of(shared));
            // Racy reads of counters another thread owns: each is a whole long (64-bit JVM), and a
            // snapshot a moment old is what statistics promise. Every free first, then every
            // allocation: a block is counted allocated before any thread can free it, so a free
            // read here has its allocation read too. Read heap by heap, a block allocated by one
            // thread and freed by another read later counted as freed only: live went below zero.
            for (Heap h : all) {
                for (int c = 0; c < SizeClasses.COUNT; c++) {
                    frees[c] += h.frees(c);
                }
            }
            java.lang.invoke.VarHandle.acquireFence(); // the allocation counts are read after the free counts
            for (Heap h : all) {
                for (int c = 0; c < SizeClasses.COUNT; c++) {
                    allocs[c] += h.allocations(c);
                }
            }
        }
        long liveBytes = huge.liveBytes();
        long liveBlocks = huge.liveBlocks();
        long totalAllocations = huge.allocations();
        long totalFrees = huge.allocations() - huge.liveBlocks();
        List<EmmaStats.SizeClassStats> classes = new ArrayList<>();
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            long a = allocs[c];
            long f = frees[c];
            long live = a - f;
            liveBlocks += live;
            liveBytes += live * SizeClasses.blockSize(c);
            totalAllocations += a;
            totalFrees += f;
            classes.add(new EmmaStats.SizeClassStats(SizeClasses.blockSize(c), live, a));
        }
        classes.add(new EmmaStats.SizeClassStats(0, huge.liveBlocks(), huge.allocations()));
        return new EmmaStats(liveBytes, liveBlocks, mapper.mappedBytes(), mapper.peakMappedBytes(),
                totalAllocations, totalFrees, invalidFrees, mapper.purgedBytes(), returnFailures, segments,
                huge.liveBlocks(), heapCount, List.copyOf(classes));
    }
}
