package dev.emma.heap;

import dev.emma.memory.Memory;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.page.SizeClasses;
import dev.emma.segment.Layout;
import dev.emma.segment.SegmentPool;

/**
 * Moves pages between heaps, the per-class reuse queues and the segment pool, and frees blocks
 * that the freeing thread does not own. One lock per size class guards the DETACHED pages of that
 * class and its reuse queue; the pool has its own lock, always taken inside a class lock.
 */
final class Pages {
    /** Result of a free that is not the owner's. */
    static final int FREED = 0;
    static final int NOT_LIVE = 1;

    private final SegmentPool pool;
    private final Object[] classLocks = new Object[SizeClasses.COUNT];
    private final long[] queueHead = new long[SizeClasses.COUNT]; // partly free DETACHED pages, guarded by classLocks[c]

    private final HandOverHooks hooks;

    Pages(SegmentPool pool, HandOverHooks hooks) {
        this.pool = pool;
        this.hooks = hooks;
        for (int c = 0; c < classLocks.length; c++) {
            classLocks[c] = new Object();
        }
    }

    /**
     * The heap's slow path for class {@code c}: take the blocks other threads freed into its page;
     * if none came back and the page has no never-used block left, detach the full page and adopt
     * a partly free one or a fresh one.
     */
    void refill(Heap heap, int c) {
        long p = heap.page[c];
        if (p != 0) {
            collectRemote(heap, c, p);
            if (HandOverHooks.ENABLED) hooks.reached(HandOverHooks.Point.COLLECTED, p);
            if (heap.free[c] != 0 || heap.bump[c] < heap.bumpEnd[c]) {
                return;
            }
            synchronized (classLocks[c]) {
                detachLocked(heap, c);
            }
        }
        long q;
        synchronized (classLocks[c]) {
            q = queueHead[c];
            if (q != 0) {
                dequeue(c, q);
                Memory.putInt(q + Page.STATE, Page.OWNED);
                Memory.putInt(q + Page.OWNER, heap.id);
                // Release: a remote freer that sees the DETACHED bit gone may push onto this page,
                // and must see the page as OWNED when it takes the class lock.
                Memory.putLongRelease(q + Page.REMOTE, 0);
                heap.attach(c, q);
            }
        }
        if (q != 0) {
            if (HandOverHooks.ENABLED) hooks.reached(HandOverHooks.Point.ADOPTED, q);
            return;
        }
        long fresh = pool.takePage(PageKind.forBlockSize(SizeClasses.blockSize(c)));
        int blockSize = SizeClasses.blockSize(c);
        Memory.putInt(fresh + Page.SIZE_CLASS, c);
        Memory.putInt(fresh + Page.CAPACITY, (int) ((SegmentPool.areaEnd(fresh) - Page.areaStart(fresh)) / blockSize));
        Memory.putLong(fresh + Page.FREE_LIST, 0);
        Memory.putInt(fresh + Page.USED, 0);
        Memory.putInt(fresh + Page.FLAGS, 0);
        Memory.putInt(fresh + Page.OWNER, heap.id);
        Memory.putInt(fresh + Page.STATE, Page.OWNED);
        Memory.putLongRelease(fresh + Page.REMOTE, 0);
        heap.attach(c, fresh);
    }

    /**
     * Takes the page's whole remote list with one swap (no ABA: nobody pops single blocks) and
     * frees its blocks into the heap. Returns how many blocks came back.
     */
    int collectRemote(Heap heap, int c, long p) {
        if (Memory.getLongAcquire(p + Page.REMOTE) == 0) {
            return 0;
        }
        // Volatile swap: acquires every link the freers wrote before their CAS.
        return takeList(heap, c, p, Memory.getAndSetLong(p + Page.REMOTE, 0));
    }

    /** Frees the blocks of a remote list (a REMOTE word already swapped out) into the heap's page. */
    private int takeList(Heap heap, int c, long p, long word) {
        int taken = 0;
        long base = Layout.segmentOf(p);
        long block = (word & Page.REMOTE_HEAD_MASK) == 0 ? 0 : base + (word & Page.REMOTE_HEAD_MASK);
        long pendingWord = 0;   // remote-bitmap word whose bits below are still to be cleared
        long pendingMask = 0;
        for (int n = Page.remoteCount(word); n > 0 && block != 0; n--) {
            long next = Memory.getLong(block);
            long bit = Math.unsignedMultiplyHigh(block - heap.area[c], SizeClasses.reciprocal(c));
            long word64 = Layout.bitmapWord(heap.bitmap[c], bit);
            long mask = 1L << bit;
            // Remote bits are cleared with one atomic AND per run of blocks sharing a word (other
            // freers set other bits of the word concurrently). Clearing late is safe: a block's
            // remote bit only guards it against a second free while it is on its way back.
            if (word64 + Layout.BITMAP_BYTES != pendingWord) {
                if (pendingWord != 0) {
                    Memory.getAndBitwiseAndLong(pendingWord, ~pendingMask);
                }
                pendingWord = word64 + Layout.BITMAP_BYTES;
                pendingMask = 0;
            }
            pendingMask |= mask;
            long bits = Memory.getLong(word64);
            if ((bits & mask) != 0) {  // still live: a racing double free may already have freed it
                Memory.putLong(word64, bits & ~mask);
                Memory.putLong(block, heap.free[c]);
                heap.free[c] = block;
                heap.used[c]--;
                taken++;
            }
            block = next;
        }
        if (pendingWord != 0) {
            Memory.getAndBitwiseAndLong(pendingWord, ~pendingMask);
        }
        return taken;
    }

    /**
     * Lets go of the heap's page of class {@code c}: remote frees from now on take the class lock.
     * An empty page goes back to the pool; one with free room joins the class's reuse queue.
     */
    void detach(Heap heap, int c) {
        synchronized (classLocks[c]) {
            detachLocked(heap, c);
        }
    }

    private void detachLocked(Heap heap, int c) {
        long p = heap.page[c];
        if (p == 0) {
            return;
        }
        // Setting the DETACHED bit and taking the remote list is one atomic step, so no remote
        // free can land in the list after we looked at it.
        takeList(heap, c, p, Memory.getAndSetLong(p + Page.REMOTE, Page.REMOTE_DETACHED) & ~Page.REMOTE_DETACHED);
        heap.detach(c);
        Memory.putInt(p + Page.OWNER, 0);
        Memory.putInt(p + Page.STATE, Page.DETACHED);
        afterDetachedChange(c, p);
    }

    /**
     * Frees a block of a page the current thread does not own: a lock-free push onto the page's
     * remote list while it is OWNED, a locked free while it is DETACHED.
     */
    int freeRemote(int c, long p, long block, long bit) {
        long base = Layout.segmentOf(p);
        long word = Layout.bitmapWord(Layout.allocBitmap(p), bit);
        long remoteWord = word + Layout.BITMAP_BYTES;
        long mask = 1L << bit;
        while (true) {
            long remote = Memory.getLongAcquire(p + Page.REMOTE);
            if ((remote & Page.REMOTE_DETACHED) != 0) {
                if (HandOverHooks.ENABLED) hooks.reached(HandOverHooks.Point.DETACHED_SEEN, p);
                Integer result = freeDetached(c, p, block, word, mask);
                if (result != null) {
                    return result;
                }
                continue; // adopted meanwhile: free it the OWNED way
            }
            // Claim the block's remote bit first (atomic: the owner and other freers share the
            // word). A set bit means it is already on its way back: a double free.
            if ((Memory.getAndBitwiseOrLong(remoteWord, mask) & mask) != 0) {
                return NOT_LIVE;
            }
            // The alloc bit was set by the owner before the block was handed to us; clear = not live.
            if ((Memory.getLong(word) & mask) == 0) {
                Memory.getAndBitwiseAndLong(remoteWord, ~mask);
                return NOT_LIVE;
            }
            if (HandOverHooks.ENABLED) hooks.reached(HandOverHooks.Point.REMOTE_CLAIMED, p);
            while (true) {
                long head = remote & Page.REMOTE_HEAD_MASK;
                Memory.putLong(block, head == 0 ? 0 : base + head);
                long next = (block - base) | ((remote & Page.REMOTE_COUNT_MASK) + Page.REMOTE_COUNT_ONE);
                // Volatile CAS: publishes the link written above to the owner's swap.
                if (Memory.compareAndSetLong(p + Page.REMOTE, remote, next)) {
                    return FREED;
                }
                remote = Memory.getLongAcquire(p + Page.REMOTE);
                if ((remote & Page.REMOTE_DETACHED) != 0) {
                    Memory.getAndBitwiseAndLong(remoteWord, ~mask); // give the claim back; go the locked way
                    break;
                }
            }
        }
    }

    /** Frees into a DETACHED page under the class lock; null if the page is no longer DETACHED. */
    private Integer freeDetached(int c, long p, long block, long word, long mask) {
        synchronized (classLocks[c]) {
            if (Page.state(p) != Page.DETACHED) {
                return null;
            }
            long bits = Memory.getLong(word);
            if ((bits & mask) == 0) {
                return NOT_LIVE;
            }
            Memory.putLong(word, bits & ~mask);
            Memory.putLong(block, Memory.getLong(p + Page.FREE_LIST));
            Memory.putLong(p + Page.FREE_LIST, block);
            Memory.putInt(p + Page.USED, Memory.getInt(p + Page.USED) - 1);
            afterDetachedChange(c, p);
            return FREED;
        }
    }

    /** Class lock held: an empty DETACHED page goes to the pool, one with room to the reuse queue. */
    private void afterDetachedChange(int c, long p) {
        boolean queued = (Memory.getInt(p + Page.FLAGS) & Page.QUEUED) != 0;
        if (Memory.getInt(p + Page.USED) == 0) {
            if (queued) {
                dequeue(c, p);
            }
            Memory.putLong(p + Page.FREE_LIST, 0);
            pool.releasePage(p);
        } else if (!queued && hasRoom(c, p)) {
            enqueue(c, p);
        }
    }

    private static boolean hasRoom(int c, long p) {
        long end = Page.areaStart(p) + (long) Page.capacity(p) * SizeClasses.blockSize(c);
        return Memory.getLong(p + Page.FREE_LIST) != 0 || Memory.getLong(p + Page.BUMP) < end;
    }

    private void enqueue(int c, long p) {
        long head = queueHead[c];
        Memory.putLong(p + Page.QUEUE_PREV, 0);
        Memory.putLong(p + Page.QUEUE_NEXT, head);
        if (head != 0) {
            Memory.putLong(head + Page.QUEUE_PREV, p);
        }
        queueHead[c] = p;
        Memory.putInt(p + Page.FLAGS, Memory.getInt(p + Page.FLAGS) | Page.QUEUED);
    }

    private void dequeue(int c, long p) {
        long prev = Memory.getLong(p + Page.QUEUE_PREV);
        long next = Memory.getLong(p + Page.QUEUE_NEXT);
        if (prev == 0) {
            queueHead[c] = next;
        } else {
            Memory.putLong(prev + Page.QUEUE_NEXT, next);
        }
        if (next != 0) {
            Memory.putLong(next + Page.QUEUE_PREV, prev);
        }
        Memory.putInt(p + Page.FLAGS, Memory.getInt(p + Page.FLAGS) & ~Page.QUEUED);
    }
}
