package dev.emma.heap;

import dev.emma.heap.HandOverHooks.Point;
import dev.emma.memory.Memory;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.page.SizeClasses;
import dev.emma.segment.Layout;
import dev.emma.segment.SegmentPool;

/**
 * Moves pages between heaps, the per-class reuse queues and the segment pool, and frees blocks
 * that the freeing thread does not own (the protocol and its invariant are in {@link Page}).
 *
 * <p>Locks: one per size class guards the reuse queue of that class and the OWNED/DETACHED
 * transitions of its pages; the pool has its own lock, always taken inside a class lock. Frees
 * never take a lock, except the first free into a DETACHED page (it queues the
 * page) or frees its last block (it returns the page to the pool). A heap's steady work within the
 * pages it owns (its current page and its retained ones, see {@link Heap}) takes no lock either.
 */
final class Pages {
    /** Result of a free that is not the owner's. */
    static final int FREED = 0;
    static final int NOT_LIVE = 1;

    private final SegmentPool pool;
    private final HandOverHooks hooks;
    private final boolean checks;
    private final Object[] classLocks = new Object[SizeClasses.COUNT];
    private final long[] queueHead = new long[SizeClasses.COUNT]; // DETACHED pages with room, guarded by classLocks[c]

    Pages(SegmentPool pool, HandOverHooks hooks, boolean checks) {
        this.pool = pool;
        this.hooks = hooks;
        this.checks = checks;
        for (int c = 0; c < classLocks.length; c++) {
            classLocks[c] = new Object();
        }
    }

    /**
     * The heap's slow path for class {@code c}; returns a block, never 0. Takes back the blocks
     * other threads freed into the heap's page; if that page has no block left, makes a retained
     * page with room current (no lock: the heap owns it), else retains the full page (detaching the
     * oldest retained one beyond the bound) and adopts a page with room from the reuse queue, or
     * takes a fresh one.
     *
     * <p>Every step ends in {@link Heap#take}, which does not look at the remote-free hint: other
     * threads may push onto the page at any moment, so "a batch is waiting" can become true again
     * right after a collect or an adoption (issue 9: the old code asked the fast path again there
     * and, on a page with nothing on its free list, got "no block").
     */
    long refill(Heap heap, int c) {
        long p = heap.page(c);
        if (p != 0) {
            collect(heap, c, p);
            if (HandOverHooks.ENABLED) hooks.reached(Point.COLLECTED, p);
            long block = heap.take(c, checks);
            if (block != 0) {
                return block;
            }
        }
        // A retained page with room, else a spare (an empty one, or a medium page parked when the
        // owner's free emptied it): the heap owns both, no lock.
        long q = retainedWithRoom(heap, c);
        if (q != 0) {
            heap.unretain(c, q);
        } else {
            q = heap.takeSpare(c);
        }
        if (q != 0) {
            if (p != 0) {
                retainCurrent(heap, c);
            }
            heap.attach(c, q);
            collect(heap, c, q);
            if (checks) {
                PageChecks.owned(heap, c, q);
            }
            if (HandOverHooks.ENABLED) hooks.reached(Point.RETAKEN, q);
            long block = heap.take(c, checks);
            if (block != 0) {
                return block;
            }
            // Unreachable: room never shrinks while only other threads act on an OWNED page.
            p = q;
        }
        if (p != 0) {
            retainCurrent(heap, c);
        }
        while (true) {
            q = adopt(heap, c);
            if (q == 0) {
                break;
            }
            if (HandOverHooks.ENABLED) hooks.reached(Point.ADOPTED, q);
            long block = heap.take(c, checks);
            if (block != 0) {
                return block;
            }
            // Unreachable while the queue invariant holds (a queued page has room, and room never
            // shrinks while it is DETACHED); let go of the page rather than fail the allocation.
            detach(heap, c);
        }
        attachFresh(heap, c);
        return heap.take(c, checks); // a fresh page holds at least one block (Layout checks it)
    }

    /**
     * A retained page of class {@code c} with room (a free list, blocks to carve, or
     * {@link #roomThreshold} frees counted beyond its late counts), 0 if none. Reads only the
     * heap's own records and the REMOTE words: at most {@link Heap#retainBound} pages.
     */
    private static long retainedWithRoom(Heap heap, int c) {
        for (long q = heap.firstRetained(c); q != 0; q = PageLinks.next(q)) {
            // Acquire: a counted free's bit is visible to the collect that follows.
            int counted = Page.remoteCount(Memory.getLongAcquire(q + Page.REMOTE)) - Page.late(q);
            if (hasRoom(c, q, counted)) {
                return q;
            }
        }
        return 0;
    }

    /**
     * The heap's current page of class {@code c} joins its retained pages (still OWNED); beyond the
     * bound the oldest retained page is detached. A heap that retains nothing detaches it.
     */
    private void retainCurrent(Heap heap, int c) {
        int bound = heap.retainBound(c);
        if (bound == 0) {
            detach(heap, c);
            return;
        }
        if (checks) {
            PageChecks.owned(heap, c, heap.page(c));
        }
        long p = heap.release(c);
        heap.retain(c, p);
        if (checks) {
            PageChecks.retained(heap, c, p);
        }
        if (heap.retainedCount(c) > bound) {
            long oldest = p;
            for (long q = p; q != 0; q = PageLinks.next(q)) {
                oldest = q;
            }
            heap.unretain(c, oldest);
            detachReleased(c, oldest);
        }
    }

    /**
     * The owner's free emptied its retained page {@code p}: it becomes a spare, or is detached (and
     * so returned to the pool) if the class has as many spares as it may keep.
     */
    void spare(Heap heap, int c, long p) {
        heap.unretain(c, p);
        if (checks) {
            PageChecks.retained(heap, c, p);
        }
        spareOrDetach(heap, c, p);
    }

    /**
     * The owner's free emptied its current page of medium class {@code c} ({@link Heap#freeOwned}):
     * the page is parked as a spare, where the next refill of the class takes it back with one
     * swap and the purger can take it from an idle heap; or detached (back to the pool) if the
     * class's spare slot is taken.
     */
    void parkEmptied(Heap heap, int c) {
        if (checks) {
            PageChecks.owned(heap, c, heap.page(c));
        }
        spareOrDetach(heap, c, heap.release(c));
    }

    /** An empty page the heap still owns, its fields in its record: a spare, or detached if the class's spare slots are full. */
    private void spareOrDetach(Heap heap, int c, long p) {
        if (!heap.putSpare(c, p)) {
            detachReleased(c, p);
        }
    }

    /**
     * Any thread: takes the heap's spares away from it and detaches them (they go back to the pool,
     * or, while counts of frees the owner took back early are still owed, wait for them as DETACHED
     * pages). Safe on a live heap: the owner and this race for each slot with an atomic swap.
     */
    void releaseSpares(Heap heap) {
        for (int i = 0; i < heap.spareSlots(); i++) {
            long p = heap.stealSpare(i);
            if (p != 0) {
                detachReleased(Page.sizeClass(p), p);
            }
        }
    }

    /** Detaches every retained page of class {@code c} (dead-heap reclamation). */
    void detachRetained(Heap heap, int c) {
        for (long q = heap.firstRetained(c); q != 0; q = heap.firstRetained(c)) {
            heap.unretain(c, q);
            if (checks) {
                PageChecks.retained(heap, c, q);
            }
            detachReleased(c, q);
        }
    }

    /** Takes back what other threads freed into the heap's page: swaps the count, then the bits. */
    void collect(Heap heap, int c, long p) {
        // Acquire, and a read before the swap: most calls find nothing, and a read keeps the line shared.
        if ((Memory.getLongAcquire(p + Page.REMOTE) & Page.REMOTE_COUNT_MASK) == 0) {
            return;
        }
        // Volatile swap of the count (the pins stay): every counted free's bit is visible after it (see Heap.collect).
        heap.collect(c, Page.remoteCount(Memory.getAndBitwiseAndLong(p + Page.REMOTE, Page.REMOTE_PIN_MASK)), checks);
        if (checks) {
            PageChecks.owned(heap, c, p);
        }
    }

    /** The first page of the reuse queue, made the heap's (what others freed into it taken back); 0 if none. */
    private long adopt(Heap heap, int c) {
        if (HandOverHooks.ENABLED) hooks.reached(Point.CLASS_LOCK, 0);
        synchronized (classLocks[c]) {
            long q = queueHead[c];
            if (q == 0) {
                return 0;
            }
            dequeue(c, q);
            Memory.putInt(q + Page.STATE, Page.OWNED);
            Memory.putInt(q + Page.OWNER, heap.id);
            // Volatile swap: clears DETACHED (later frees are the new owner's to collect) and takes
            // the count, after which every counted free's bit is visible; the pins stay.
            long word = Memory.getAndBitwiseAndLong(q + Page.REMOTE, Page.REMOTE_PIN_MASK);
            heap.attach(c, q);
            heap.collect(c, Page.remoteCount(word), checks);
            if (checks) {
                PageChecks.owned(heap, c, q);
            }
            return q;
        }
    }

    private void attachFresh(Heap heap, int c) {
        if (HandOverHooks.ENABLED) hooks.reached(Point.FRESH_PAGE, 0);
        long fresh = pool.takePage(PageKind.forBlockSize(SizeClasses.blockSize(c)));
        int blockSize = SizeClasses.blockSize(c);
        Memory.putInt(fresh + Page.SIZE_CLASS, c);
        Memory.putLong(fresh + Page.RECIPROCAL, SizeClasses.reciprocal(c));
        Memory.putLong(fresh + Page.BLOCK_SIZE, blockSize);
        Memory.putInt(fresh + Page.CAPACITY, (int) ((SegmentPool.areaEnd(fresh) - Page.areaStart(fresh)) / blockSize));
        Memory.putLong(fresh + Page.FREE_LIST, 0);
        Memory.putInt(fresh + Page.USED, 0);
        Memory.putInt(fresh + Page.LATE, 0);
        Memory.putInt(fresh + Page.FLAGS, 0);
        Memory.putInt(fresh + Page.OWNER, heap.id);
        Memory.putInt(fresh + Page.STATE, Page.OWNED);
        // Nobody else can reach a fresh page (no block of it was handed out yet): a plain store.
        Memory.putLong(fresh + Page.REMOTE, 0);
        heap.attach(c, fresh);
    }

    /**
     * Lets go of the heap's page of class {@code c} (the heap may be a dead thread's): its blocks
     * stay valid; frees into it keep counting in its REMOTE word. An empty page goes back to the
     * pool; one with room joins the class's reuse queue.
     */
    void detach(Heap heap, int c) {
        if (heap.page(c) == 0) {
            return;
        }
        if (checks) {
            PageChecks.owned(heap, c, heap.page(c));
        }
        detachReleased(c, heap.release(c));
    }

    /**
     * Lets go of an OWNED page whose fields are in its record (its heap wrote them back and keeps
     * no reference to it). The record writes before the atomic OR below are published with it.
     */
    private void detachReleased(int c, long p) {
        if (HandOverHooks.ENABLED) hooks.reached(Point.CLASS_LOCK, p);
        synchronized (classLocks[c]) {
            Memory.putInt(p + Page.OWNER, 0);
            Memory.putInt(p + Page.STATE, Page.DETACHED);
            // Atomic OR, keeping the count: the record writes above are published to every freer
            // whose add returns the bit.
            Memory.getAndBitwiseOrLong(p + Page.REMOTE, Page.REMOTE_DETACHED);
            settleLocked(c, p);
        }
    }

    /**
     * Frees a block of a page the current thread does not own: set its remote bit (a CAS that fails
     * on a block that is not live), then count it in the page's REMOTE word. No lock, OWNED and
     * DETACHED pages alike, and the block's memory is not touched.
     */
    int freeRemote(int c, long p, long bit) {
        return freeRemote(c, p, Layout.bitmapWord(Layout.allocBitmap(p), bit), 1L << bit) == 1 ? FREED : NOT_LIVE;
    }

    /**
     * Frees the blocks {@code mask} of alloc-bitmap word {@code word} of page {@code p}, which the
     * current thread does not own, in one step (a {@link FreeBatch}, or one block): sets their
     * remote bits with one CAS, skipping those that are not live (freed by another thread already,
     * or never allocated), then counts them in the page's REMOTE word with one more. Returns how
     * many it freed.
     */
    int freeRemote(int c, long p, long word, long mask) {
        long remoteWord = word + Layout.BITMAP_BYTES;
        long live;
        while (true) {
            // Remote bit first (acquire), then alloc bit: whoever takes bits back clears the alloc
            // bits before it releases the remote ones, so a block taken back, or in a page being
            // emptied, never looks live here (in checks mode the owner holds the remote bit of a
            // free block until it hands the block out again: Heap.unmark). The alloc bit of a live
            // block is stable: its owner set it before the block was handed to the caller (through
            // the caller's own synchronisation), and clears it only once the block is free again.
            long remoteBits = Memory.getLongAcquire(remoteWord);
            live = mask & ~remoteBits & Memory.getLong(word);
            if (live == 0) {
                return 0; // freed already (by another thread, not yet taken back) or never allocated
            }
            if (HandOverHooks.ENABLED) hooks.reached(Point.REMOTE_FREE_CHECKED, p);
            // Volatile CAS: of two racing frees of one block only one sets the bit.
            if (Memory.compareAndSetLong(remoteWord, remoteBits, remoteBits | live)) {
                break;
            }
        }
        int k = Long.bitCount(live);
        if (HandOverHooks.ENABLED) hooks.reached(Point.REMOTE_CLAIMED, p);
        // Acquire: if the page is DETACHED, its USED and LATE (frozen while it is) were published
        // with the bit. Until our count lands the page holds our live blocks, so it cannot be
        // returned: reading its record here is safe. (Only an adoption and a new detach between
        // this read and the CAS that leave the word exactly as it was could make USED and LATE
        // stale; the code before the pins read them after its add, with the same exposure.)
        long remote = Memory.getLongAcquire(p + Page.REMOTE);
        boolean settle;
        while (true) {
            settle = false;
            if ((remote & Page.REMOTE_DETACHED) != 0) {
                int before = Page.remoteCount(remote) - Page.late(p);
                int after = before + k;
                int threshold = roomThreshold(p);
                // Emptied, or its first room: the count only rises while DETACHED (by k here) and the
                // threshold is frozen, so exactly one freer's range reaches each (a detach that finds
                // the count at or past the threshold queues the page itself).
                settle = after == Page.used(p) || (before < threshold && after >= threshold);
            }
            // Volatile CAS, after the bits: whoever swaps the count sees the bits. A settling freer
            // takes a pin in the same step (see Page: the page cannot be returned under it).
            long witness = Memory.compareAndExchangeLong(p + Page.REMOTE, remote,
                    remote + k * Page.REMOTE_COUNT_ONE + (settle ? Page.REMOTE_PIN_ONE : 0));
            if (witness == remote) {
                break;
            }
            remote = witness;
        }
        if (!settle) {
            return k; // the page may be returned (and its segment retired) from here on: touch nothing
        }
        if (HandOverHooks.ENABLED) hooks.reached(Point.SETTLING, p);
        if (HandOverHooks.ENABLED) hooks.reached(Point.CLASS_LOCK, p);
        synchronized (classLocks[c]) {
            // Drop the pin under the lock: whoever settles next (a later pin holder, a detach) sees it gone.
            long now = Memory.getAndAddLong(p + Page.REMOTE, -Page.REMOTE_PIN_ONE) - Page.REMOTE_PIN_ONE;
            // The page may have been adopted, or adopted and detached again, since our count (never
            // returned: we held a pin): settle it only if it is DETACHED. Volatile add: the DETACHED
            // bit was set after the record's fields were written.
            if ((now & Page.REMOTE_DETACHED) != 0) {
                settleLocked(c, p);
            }
        }
        return k;
    }

    /**
     * Class lock held, page DETACHED: an empty page goes to the pool, one with room to the reuse
     * queue. Both are decided on the current REMOTE word, so a settle that lost a race to an
     * adoption or to another settle does nothing wrong.
     */
    private void settleLocked(int c, long p) {
        // Acquire: freers add to the count without this lock; every add we see had its bit set first.
        long word = Memory.getLongAcquire(p + Page.REMOTE);
        int counted = Page.remoteCount(word) - Page.late(p);
        boolean queued = (Memory.getInt(p + Page.FLAGS) & Page.QUEUED) != 0;
        if (counted == Page.used(p)) { // every block handed out is back: nobody can free into it any more
            if (Page.pins(word) != 0) {
                return; // a freer still settles it: the last pin holder returns it (see Page)
            }
            if (queued) {
                dequeue(c, p);
            }
            Memory.putLong(p + Page.FREE_LIST, 0);
            clearBitmaps(p);
            pool.releasePage(p);
        } else if (!queued && hasRoom(c, p, counted)) {
            enqueue(c, p);
        }
    }

    /**
     * Blocks that came back remotely still have both bits set, and a FREE page has zero bitmaps:
     * alloc bits first, then the remote bits with release stores (see {@link #freeRemote}).
     */
    private static void clearBitmaps(long p) {
        long alloc = Layout.allocBitmap(p);
        // Only blocks ever carved (below BUMP) have bits: a page of 64 KiB blocks clears one word
        // of each bitmap, not all 64 (a page that goes back through the pool every few frees).
        long carved = (Memory.getLong(p + Page.BUMP) - Page.areaStart(p)) / Page.blockSize(p);
        long words = (carved + 63) >>> 6;
        for (long w = 0; w < words; w++) {
            Memory.putLong(alloc + Layout.wordOffset(w), 0);
        }
        for (long w = 0; w < words; w++) {
            Memory.putLongRelease(alloc + Layout.BITMAP_BYTES + Layout.wordOffset(w), 0);
        }
    }

    /**
     * Pages of at least this many blocks (classes up to 1 KiB) count their remote frees as room only
     * from a quarter of their used blocks on ({@link #roomThreshold}).
     */
    private static final int QUARTER_ROOM_MIN_CAPACITY = 64;

    /**
     * Counted frees (beyond LATE) from which a retained or DETACHED page {@code p} has room: a
     * quarter of its USED blocks (at least one) on a page of many small blocks, else one. With one,
     * a cross-thread producer adopts or retakes a page each time its consumer has freed a block or
     * two into it, and pays a refill (a class lock, a scan of the bitmap) per few blocks (JMH
     * producer/consumer, 64 B, 2-core AMD VM: medians +6% and +16% in two interleaved A/Bs, 8 of 9
     * rounds won). Pages of few blocks keep one: there a page waiting for a quarter of its blocks
     * holds much memory idle, and the heap takes fresh pages instead (thread churn with every class
     * at a quarter: -12%, 0 of 3 rounds, session 11). USED and LATE are frozen while a page is DETACHED, so
     * the threshold is too, and the count passes it exactly once (see freeRemote).
     */
    static int roomThreshold(long p) {
        return Page.capacity(p) >= QUARTER_ROOM_MIN_CAPACITY ? Math.max(1, Page.used(p) >>> 2) : 1;
    }

    private static boolean hasRoom(int c, long p, int counted) {
        long end = Page.areaStart(p) + (long) Page.capacity(p) * SizeClasses.blockSize(c);
        return counted >= roomThreshold(p) || Memory.getLong(p + Page.FREE_LIST) != 0
                || Memory.getLong(p + Page.BUMP) < end;
    }

    private void enqueue(int c, long p) {
        PageLinks.push(queueHead, c, p);
        Memory.putInt(p + Page.FLAGS, Memory.getInt(p + Page.FLAGS) | Page.QUEUED);
    }

    private void dequeue(int c, long p) {
        PageLinks.remove(queueHead, c, p);
        Memory.putInt(p + Page.FLAGS, Memory.getInt(p + Page.FLAGS) & ~Page.QUEUED);
    }
}
