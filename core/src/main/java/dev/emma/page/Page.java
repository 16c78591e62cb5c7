package dev.emma.page;

import dev.emma.memory.Memory;

/**
 * Accessors for a page record (128 bytes in its segment's header), addressed by the record's
 * address. A page serves one size class at a time.
 *
 * <p><b>States and who may touch what.</b>
 * <ul>
 *   <li>OWNED: the page belongs to exactly one heap; only that heap's thread (or the holder of a
 *       shared heap's lock) reads or writes its plain fields and its alloc bitmap. It is either the
 *       heap's current page of its class, whose free list, bump pointer and counts the heap caches
 *       in Java arrays, or one of the heap's retained pages (full ones and empty spares, a bounded
 *       number per class, see {@code dev.emma.heap.Heap}), whose FREE_LIST, USED, LATE and BUMP are
 *       in the record and whose queue links chain the heap's retained pages of the class. The
 *       owner frees into both kinds with plain stores.</li>
 *   <li>DETACHED: no owner (its heap let go of it: beyond its bound of retained pages, or its thread
 *       died). Its plain fields are frozen, except QUEUED and the queue links, which the size
 *       class's lock guards.</li>
 *   <li>FREE: in the segment pool (its lock); capacity 0, bitmaps all zero.</li>
 * </ul>
 *
 * <p><b>Block states</b> (alloc bit A, written only by the owner, or under the class lock; remote
 * bit R, set by other threads with a CAS): free {@code A=0 R=0}, live {@code A=1 R=0}, freed by
 * another thread and not yet taken back {@code A=1 R=1}; in checks mode a free block holds R
 * ({@code A=0 R=1}) from its free or take-back until its owner hands it out again, so that no second
 * free of it can succeed (see {@code dev.emma.heap.Heap}'s {@code unmark}). A thread that frees a block of a page it
 * does not own, OWNED or DETACHED alike, sets R (the CAS fails on a block that is not live: a
 * double free) and then adds one to the count in {@link #REMOTE}. It never writes the block: its
 * cache line stays where it is. The owner takes such blocks back by swapping the count to zero
 * and then swapping every non-zero R word to zero (clearing those A bits), so a bit and its count
 * are taken in separate steps: a count can arrive after its bit was taken. The heap counts those
 * "late" increments it is owed ({@link #LATE} while retained or DETACHED); an adopter inherits them.
 *
 * <p><b>The page invariant</b> (after mimalloc's {@code used - |thread_free| + |free| +
 * |local_free| == capacity}). With {@code carved} the blocks below the bump pointer, {@code free}
 * the free list (the heap's cache while current, {@link #FREE_LIST} while retained or DETACHED),
 * {@code used} the heap's count ({@link #USED} while retained or DETACHED), {@code pending} the blocks with R set, and
 * {@code count} the count in {@link #REMOTE}:
 * <pre>
 *   used + |free| == carved <= capacity        (used = live + pending + frees between their two steps)
 *   count == late + pending - (frees whose bit is set but whose count is not added yet)
 * </pre>
 * Every free-list block is free in the bitmaps and lies in the carved area. So a DETACHED page has
 * every block back exactly when {@code count == USED + LATE}: the free that makes it so returns
 * the page to the pool. A DETACHED page is in its class's reuse queue iff it has room (a free
 * list, blocks left to carve, or at least {@code threshold} frees counted beyond {@code LATE}) and
 * is not empty; {@code threshold} is a quarter of {@code USED} (at least one) on pages of many small
 * blocks, one on the others ({@code dev.emma.heap.Pages}'s {@code roomThreshold}). It is frozen
 * while the page is DETACHED, so the free whose count reaches it queues the page: a DETACHED page
 * outside the queue has fewer than {@code threshold} frees counted, and is queued by the next
 * ones or returned by its last one, never stranded. Room never shrinks while a page is DETACHED or
 * retained (nobody allocates from it), so a page taken from the queue, or a retained page its
 * owner found room in, always yields a block. Checks mode verifies what an owner can see without
 * stopping other threads ({@code dev.emma.heap.PageChecks}).
 */
public final class Page {
    private Page() {
    }

    public static final long SIZE_CLASS = 0;   // int
    public static final long OWNER = 4;        // int: heap id while OWNED, 0 otherwise
    public static final long REMOTE = 8;       // long: atomic remote-free count and DETACHED bit, see below
    public static final long FREE_LIST = 16;   // long: free list head address (retained and DETACHED pages)
    public static final long USED = 24;        // int: used count, see above (retained and DETACHED pages)
    public static final long CAPACITY = 28;    // int: blocks that fit in the area
    public static final long AREA_START = 32;  // long: address of block 0
    public static final long BUMP = 40;        // long: first never-carved block address
    public static final long DIRTY_END = 48;   // long: memory at or above it (up to the area end) is zero
    public static final long STATE = 56;       // int: FREE, OWNED or DETACHED
    public static final long FLAGS = 60;       // int: QUEUED when in its class's reuse queue
    public static final long QUEUE_PREV = 64;  // long: neighbours in the reuse queue (class lock), or in the owner's retained pages
    public static final long QUEUE_NEXT = 72;
    public static final long LATE = 80;        // int: counts owed for blocks taken back before their count (retained and DETACHED pages)
    // Copies of SizeClasses.reciprocal/blockSize of SIZE_CLASS, written with it: a free finds its
    // block's index with loads from the page record that run in parallel with the class's load,
    // instead of table loads that have to wait for it (one step less on the free path's chain of
    // dependent loads). They sit in the record's second cache line: the first is full.
    public static final long RECIPROCAL = 88;  // long
    public static final long BLOCK_SIZE = 96;  // long

    public static final int FREE = 0;
    public static final int OWNED = 1;
    public static final int DETACHED = 2;
    public static final int QUEUED = 1;

    // The REMOTE word: bits 32..47 = frees by other threads counted since the last swap (at most
    // twice the capacity), bits 48..61 = pins, bit 62 = the page is DETACHED (set and cleared only
    // under the class lock).
    //
    // A pin is held by a freer that must settle a DETACHED page after its count (its count gave the
    // page its first room, i.e. reached the room threshold, or its last block back): it is taken in
    // the same atomic step as the count and dropped under the class lock, and a page is returned to
    // the pool only with no pin. So a freer never touches a page after its count made the page
    // returnable, unless it holds a pin (the settle of one freer could otherwise read the record of
    // a page that another settle, or the detach itself, had returned and trim() had unmapped).
    // Swaps of the count keep the pins.
    public static final long REMOTE_DETACHED = 1L << 62;
    public static final long REMOTE_COUNT_ONE = 1L << 32;
    public static final long REMOTE_COUNT_MASK = 0xffffL << 32;
    public static final long REMOTE_PIN_ONE = 1L << 48;
    public static final long REMOTE_PIN_MASK = 0x3fffL << 48;

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

    public static long reciprocal(long page) {
        return Memory.getLong(page + RECIPROCAL);
    }

    public static long blockSize(long page) {
        return Memory.getLong(page + BLOCK_SIZE);
    }

    public static int capacity(long page) {
        return Memory.getInt(page + CAPACITY);
    }

    public static int used(long page) {
        return Memory.getInt(page + USED);
    }

    public static int late(long page) {
        return Memory.getInt(page + LATE);
    }

    public static int remoteCount(long word) {
        return (int) ((word & REMOTE_COUNT_MASK) >>> 32);
    }

    public static int pins(long word) {
        return (int) ((word & REMOTE_PIN_MASK) >>> 48);
    }
}
