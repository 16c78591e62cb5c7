package dev.emma.page;

import dev.emma.memory.Memory;

/**
 * Accessors for a page record (128 bytes in its segment's header), addressed by the record's
 * address. A page serves one size class at a time.
 *
 * <p><b>States and who may touch what.</b>
 * <ul>
 *   <li>OWNED: the page belongs to exactly one heap; only that heap's thread (or the holder of a
 *       shared heap's lock) reads or writes its plain fields and its alloc bitmap, and the heap
 *       caches its free list, bump pointer and used count in Java arrays while it owns it.</li>
 *   <li>DETACHED: no owner (its heap let go of it when it was full, or its thread died). Its plain
 *       fields are frozen, except QUEUED and the queue links, which the size class's lock guards.</li>
 *   <li>FREE: in the segment pool (its lock); capacity 0, bitmaps all zero.</li>
 * </ul>
 * Any thread other than the owner frees a block, in an OWNED or a DETACHED page alike, by flipping
 * the block's remote bit (a CAS on its bitmap word) and pushing the block onto the {@link #REMOTE}
 * list (a CAS). Only whole-list swaps take blocks off that list: by the owner (collect), or by the
 * heap that adopts a DETACHED page under the class lock. So no pop can suffer ABA.
 *
 * <p><b>Block states.</b> A block is live iff its alloc bit differs from its remote bit. The owner
 * flips the alloc bit when it hands a block out and when it frees one of its own; other threads
 * flip the remote bit. Blocks that came back through the remote list need no bit cleared: they are
 * free already, so collecting a list is one swap, not a walk.
 *
 * <p><b>The page invariant</b> (after mimalloc's {@code used - |thread_free| + |free| + |local_free|
 * == capacity}). Let {@code carved} be the blocks below the bump pointer, {@code free} the blocks
 * on the free list (the heap's cache while OWNED, {@link #FREE_LIST} while DETACHED), {@code remote}
 * the count in {@link #REMOTE} and {@code used} the heap's count ({@link #USED} while DETACHED):
 * <pre>
 *   used + |free| == carved <= capacity        (used counts blocks not on the free list)
 *   |remote list| == remote <= used
 *   live blocks   == used - remote - (remote frees between their flip and their push)
 * </pre>
 * Every block on either list is free (its bits agree) and lies in the carved area. A DETACHED page
 * is in its class's reuse queue iff it has room ({@code |free| > 0}, blocks left to carve, or at
 * least a batch of remote frees) and is not empty; it goes back to the pool as soon as
 * {@code remote == used}. Room never shrinks while a page is DETACHED (nobody allocates from it), so
 * a page taken from the queue always yields a block. Checks mode verifies the parts an owner can
 * see without stopping other threads ({@code dev.emma.heap.PageChecks}).
 */
public final class Page {
    private Page() {
    }

    public static final long SIZE_CLASS = 0;   // int
    public static final long OWNER = 4;        // int: heap id while OWNED, 0 otherwise
    public static final long REMOTE = 8;       // long: atomic remote-free word, see below
    public static final long FREE_LIST = 16;   // long: free list head address (DETACHED pages)
    public static final long USED = 24;        // int: used count, see above (DETACHED pages)
    public static final long CAPACITY = 28;    // int: blocks that fit in the area
    public static final long AREA_START = 32;  // long: address of block 0
    public static final long BUMP = 40;        // long: first never-carved block address
    public static final long DIRTY_END = 48;   // long: memory at or above it (up to the area end) is zero
    public static final long STATE = 56;       // int: FREE, OWNED or DETACHED
    public static final long FLAGS = 60;       // int: QUEUED when in its class's reuse queue
    public static final long QUEUE_PREV = 64;  // long: neighbours in the reuse queue (class lock)
    public static final long QUEUE_NEXT = 72;

    public static final int FREE = 0;
    public static final int OWNED = 1;
    public static final int DETACHED = 2;
    public static final int QUEUED = 1;

    // The REMOTE word: low 32 bits = segment offset of the first remotely freed block (0 = none;
    // offset 0 is the header, never a block), bits 32..47 = how many blocks the list holds,
    // bit 62 = the page is DETACHED (set and cleared only with the class lock held).
    public static final long REMOTE_DETACHED = 1L << 62;
    public static final long REMOTE_COUNT_ONE = 1L << 32;
    public static final long REMOTE_HEAD_MASK = 0xffff_ffffL;
    public static final long REMOTE_COUNT_MASK = 0xffffL << 32;

    public static int sizeClass(long page) {
        return Memory.getInt(page + SIZE_CLASS);
    }

    public static int owner(long page) {
        return Memory.getInt(page + OWNER);
    }

    public static int state(long page) {
        return Memory.getInt(page + STATE);
    }

    public static long areaStart(long page) {
        return Memory.getLong(page + AREA_START);
    }

    public static int capacity(long page) {
        return Memory.getInt(page + CAPACITY);
    }

    public static int used(long page) {
        return Memory.getInt(page + USED);
    }

    public static int remoteCount(long word) {
        return (int) ((word & REMOTE_COUNT_MASK) >>> 32);
    }

    /** The address of the first block of a REMOTE word's list, 0 if none; {@code base} is the page's segment. */
    public static long remoteHead(long word, long base) {
        long offset = word & REMOTE_HEAD_MASK;
        return offset == 0 ? 0 : base + offset;
    }
}
