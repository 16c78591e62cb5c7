package dev.emma.heap;

import dev.emma.memory.Memory;
import dev.emma.page.Page;
import dev.emma.page.SizeClasses;
import dev.emma.segment.Layout;

import java.lang.ref.WeakReference;

/**
 * A heap: for each size class, the one page it owns now, with that page's free list, bump pointer
 * and live count cached in Java arrays (plain fields, the fastest thing the JIT can load).
 *
 * <p>Confinement: a thread heap is used only by its thread; a shared heap only while its monitor
 * is held. So nothing here is volatile or atomic; the only cross-thread traffic is the page's
 * REMOTE word, handled in {@link Pages}.
 *
 * <p>A heap owns at most one page per class: when that page is full it is detached (handed to no
 * one; frees into it then go through the class lock) and the heap adopts a partly free page or
 * takes a fresh one. So an idle heap holds at most one page per class it has used.
 */
final class Heap {
    final int id;
    final boolean shared;
    /** The thread of a thread heap, weakly: when it is dead the purger reclaims the heap. */
    final WeakReference<Thread> thread;
    /** The thread's id (-1 for a shared heap): ids are never reused while the JVM runs. */
    final long threadId;

    final long[] page = new long[SizeClasses.COUNT];     // page record, 0 = none
    final long[] free = new long[SizeClasses.COUNT];     // free list head (link in a block's first 8 bytes)
    final long[] bump = new long[SizeClasses.COUNT];     // next never-used block
    final long[] bumpEnd = new long[SizeClasses.COUNT];  // end of the blocks that fit the page
    final long[] clean = new long[SizeClasses.COUNT];    // blocks at or above this address are zero
    final long[] area = new long[SizeClasses.COUNT];     // block 0 of the page
    final long[] bitmap = new long[SizeClasses.COUNT];   // the page's alloc bitmap
    final int[] used = new int[SizeClasses.COUNT];       // live blocks in the page

    // Counters, written only under this heap's confinement; summed racily by stats().
    final long[] allocations = new long[SizeClasses.COUNT];
    final long[] frees = new long[SizeClasses.COUNT];

    /** Whether the block the last {@link #allocate} returned is known to be all zero. */
    boolean lastZero;
    /** The sum of allocations when the purger last looked (shared heaps: idle detection). */
    long allocationsSeenByPurger;

    Heap(int id, Thread thread) {
        this.id = id;
        this.shared = thread == null;
        this.thread = thread == null ? null : new WeakReference<>(thread);
        this.threadId = thread == null ? -1 : thread.threadId();
    }

    /**
     * The fast path: pop the free list, else carve the next never-used block; 0 = refill needed.
     * Blocks other threads freed are taken back before a never-used block is carved: reusing
     * memory that is already resident beats faulting in fresh pages (RSS and time).
     */
    long allocate(int c) {
        long block = free[c];
        if (block != 0) {
            free[c] = Memory.getLong(block);
            lastZero = false;
        } else {
            block = bump[c];
            // Plain load of the page's remote-free word (its count is in bits 32..47; an owned
            // page has no DETACHED bit): only a hint, the swap in Pages.collectRemote is what
            // synchronises, so a stale value just carves one more block.
            if (block >= bumpEnd[c]
                    || (Memory.getLong(page[c] + Page.REMOTE) >>> 32) >= SizeClasses.remoteBatch(c)) {
                return 0;
            }
            bump[c] = block + SizeClasses.blockSize(c);
            lastZero = block >= clean[c];
        }
        markAllocated(c, block);
        used[c]++;
        allocations[c]++;
        return block;
    }

    private void markAllocated(int c, long block) {
        long index = Math.unsignedMultiplyHigh(block - area[c], SizeClasses.reciprocal(c));
        long word = Layout.bitmapWord(bitmap[c], index);
        Memory.putLong(word, Memory.getLong(word) | (1L << index));
    }

    /**
     * Frees a block of a page this heap owns. {@code bit} is the block's index in the page.
     * Returns false (and changes nothing) if the block is not live: a double free.
     */
    boolean freeOwned(int c, long block, long bit) {
        long word = Layout.bitmapWord(bitmap[c], bit);
        long mask = 1L << bit;
        long bits = Memory.getLong(word);
        // A block in the remote list has its remote bit set: freeing it here too would link it twice.
        long remoteBits = Memory.getLong(word + Layout.BITMAP_BYTES);
        if ((bits & mask) == 0 || (remoteBits & mask) != 0) {
            return false;
        }
        Memory.putLong(word, bits & ~mask);
        Memory.putLong(block, free[c]);
        free[c] = block;
        used[c]--;
        frees[c]++;
        return true;
    }

    /** Makes {@code p} the page of class {@code c}, loading its cached fields. */
    void attach(int c, long p) {
        page[c] = p;
        free[c] = Memory.getLong(p + Page.FREE_LIST);
        used[c] = Memory.getInt(p + Page.USED);
        area[c] = Page.areaStart(p);
        bump[c] = Memory.getLong(p + Page.BUMP);
        bumpEnd[c] = area[c] + (long) Page.capacity(p) * SizeClasses.blockSize(c);
        clean[c] = Memory.getLong(p + Page.DIRTY_END);
        bitmap[c] = Layout.allocBitmap(p);
    }

    /** Writes the cached fields back to the page record and forgets the page. */
    void detach(int c) {
        long p = page[c];
        Memory.putLong(p + Page.FREE_LIST, free[c]);
        Memory.putInt(p + Page.USED, used[c]);
        Memory.putLong(p + Page.BUMP, bump[c]);
        page[c] = 0;
        free[c] = 0;
        bump[c] = 0;
        bumpEnd[c] = 0;
        used[c] = 0;
    }

    long totalAllocations() {
        long sum = 0;
        for (long a : allocations) sum += a;
        return sum;
    }
}
