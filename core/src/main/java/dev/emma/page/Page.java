package dev.emma.page;

import dev.emma.memory.Memory;

/**
 * Accessors for a page record (128 bytes in its segment's header), addressed by the record's
 * address. A page serves one size class at a time.
 *
 * <p>Who may touch what (the invariants everything else relies on):
 * <ul>
 *   <li>An OWNED page belongs to exactly one heap; only that heap's thread (or the holder of a
 *       shared heap's lock) reads or writes its plain fields, and the heap caches its free list,
 *       bump pointer and used count in Java arrays while it owns it.</li>
 *   <li>Any other thread frees into an OWNED page only through the atomic {@link #REMOTE} word:
 *       a lock-free list the owner takes whole with one swap (no ABA: nobody pops singly).</li>
 *   <li>A DETACHED page (full when its owner let go of it) has no owner; its plain fields are
 *       guarded by the size class's lock, and {@link #REMOTE} carries the DETACHED bit so a remote
 *       freer knows to take that lock.</li>
 *   <li>A FREE page belongs to the segment pool (its lock); its bitmaps are all zero.</li>
 * </ul>
 */
public final class Page {
    private Page() {
    }

    public static final long SIZE_CLASS = 0;   // int
    public static final long OWNER = 4;        // int: heap id while OWNED, 0 otherwise
    public static final long REMOTE = 8;       // long: atomic remote-free word, see below
    public static final long FREE_LIST = 16;   // long: free list head address (DETACHED pages)
    public static final long USED = 24;        // int: live blocks (DETACHED pages)
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
    // bit 62 = the page is DETACHED (remote frees must take the class lock instead).
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

    public static int remoteCount(long word) {
        return (int) ((word & REMOTE_COUNT_MASK) >>> 32);
    }
}
