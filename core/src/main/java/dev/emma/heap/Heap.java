package dev.emma.heap;

import dev.emma.memory.Memory;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.page.SizeClasses;
import dev.emma.segment.Layout;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A heap: for each size class, its current page, with that page's free list, bump pointer and used
 * count cached in Java arrays (plain fields, the fastest thing the JIT can load), and a thread
 * heap's retained pages: pages it still owns but does not allocate from now (full ones, and empty
 * spares), their fields in their records, linked through the records' queue links. Only the
 * methods below write them.
 *
 * <p>Confinement: a thread heap is used only by its thread (or, once the thread is dead, by the one
 * thread that reclaims it or inherits it, {@link #inherit}); a shared heap only while its monitor is held. So nothing here is
 * volatile or atomic; the cross-thread traffic goes through the page's REMOTE word ({@link Pages}).
 *
 * <p>Why retain: a batch of allocations larger than a page fills several pages; if each full page
 * were let go of, the owner's own frees into it would be remote frees and the page would pass
 * through the shared reuse queue and pool (class and pool locks) on every refill. A retained page
 * is still OWNED: the owner frees into it with plain stores ({@link #freeRetained}), and a refill
 * first looks for room among its retained pages, then for a spare (a retained page the owner's
 * frees emptied, or a medium page parked when they emptied it as the current page). A thread heap
 * keeps at most {@link #retainBound} retained pages per small class (about 64 blocks' worth, 1 to 8
 * pages) and as many spares; per medium class one full page if the page holds at most
 * {@link #SHARED_RETAIN_MAX_BLOCKS} blocks, else none, and one spare. Beyond that the oldest
 * retained page is detached (handed to no one, see {@link Page}) and an extra spare too. The purger
 * takes the spares of a heap that stayed idle for a tick ({@code trim()} all of them), so an idle
 * thread heap holds, per class it has used, its current page if it is small or still has blocks
 * in use, and the retained pages that still have blocks in use. Shared heaps (virtual threads, and
 * the large classes) retain at most one page of each of their largest medium classes
 * ({@link #SHARED_RETAIN_BOUND}), and keep no spares.
 */
final class Heap {
    final int id;
    /**
     * The thread of a thread heap, weakly: when it is dead the purger reclaims the heap, or a new
     * thread inherits it ({@link #inherit}). Written under the {@link Heaps} lock, read under it,
     * except by {@link #isShared}, which only asks whether it is null (never, for a thread heap).
     */
    WeakReference<Thread> thread;
    /**
     * The thread's id (-1 for a shared heap): ids are never reused while the JVM runs. Written at
     * an inheritance under the Heaps lock, read racily by {@link Heaps#cached}: a stale value is
     * the dead thread's id, which no live thread's matches.
     */
    long threadId;

    /**
     * The state of each class's current page, {@link #STRIDE} longs per class side by side in one
     * array (plain fields, the fastest thing the JIT can load): {@code state[c * STRIDE + FREE]} and
     * so on. One array, not one per field, because then an operation's loads share one range
     * check and one cache line per class: measured (JMH, 64 B, 1 thread) +41% on batches and
     * +20% on pairs of the core called directly, +5% through the agent, against nine arrays.
     * Private: only this class's methods write it; {@link Heaps} reaches the array through
     * {@link #stateArray} to cache it by thread id.
     */
    private final long[] state;
    private static final int PAGE = 0;        // page record, 0 = none
    private static final int FREE = 1;        // free list head (link in a block's first 8 bytes)
    private static final int BUMP = 2;        // next never-used block
    private static final int BUMP_END = 3;    // end of the blocks that fit the page
    private static final int CLEAN = 4;       // blocks at or above this address are zero
    private static final int AREA = 5;        // block 0 of the page
    private static final int BITMAP = 6;      // the page's alloc bitmap
    private static final int USED = 7;        // blocks not on the free list
    private static final int LATE = 8;        // remote counts owed for blocks taken back (see Page)
    private static final int ALLOCATIONS = 9; // counters, written only under this heap's confinement; summed racily by stats()
    private static final int FREES = 10;
    private static final int STRIDE = 11;
    /**
     * After the classes' slots: the owner's thread id (-1 for a shared heap), so that the
     * thread-id cache can hold the state array itself ({@link Heaps#cachedState}: the fast paths
     * reach a class's slots with one dependent load less than through the Heap), and whether the
     * block the last allocation returned is known to be all zero (1) or not (0).
     */
    private static final int THREAD_ID = SizeClasses.COUNT * STRIDE;
    private static final int LAST_ZERO = THREAD_ID + 1;
    private final long[] retained = new long[SizeClasses.COUNT]; // first retained page (record), 0 = none
    private final int[] retainedCount = new int[SizeClasses.COUNT];
    /**
     * Spares: emptied retained pages, and medium pages parked when the owner's free emptied them as
     * the current page, still OWNED: at most {@link #retainBound} per small class, one per medium
     * class. The only pages of a live thread heap that another thread may take (the purger, from an
     * idle heap): so they sit in atomic slots, not in the owner's plain lists.
     */
    private final AtomicLongArray spares;

    /** A thread heap's gathered frees into pages it does not own (null for a shared heap: nobody frees through it). */
    final FreeBatch freeBatch;

    /** The sum of allocations when the purger last looked: idle detection, a hint (trim() may race the purger on it). */
    long allocationsSeenByPurger;

    Heap(int id, Thread thread) {
        this.id = id;
        this.thread = thread == null ? null : new WeakReference<>(thread);
        this.threadId = thread == null ? -1 : thread.threadId();
        this.state = new long[LAST_ZERO + 1];
        state[THREAD_ID] = threadId;
        this.spares = new AtomicLongArray(thread == null ? 0 : SPARE_OFFSET[SizeClasses.COUNT]);
        this.freeBatch = thread == null ? null : new FreeBatch(this);
    }

    /**
     * Retained pages of class {@code c} at most: of a small class pages for about 64 blocks, 1 to 8
     * (and as many spares); of a medium class one if its page holds at most
     * {@link #SHARED_RETAIN_MAX_BLOCKS} blocks, else none (and one spare); for a shared heap see
     * {@link #SHARED_RETAIN_BOUND} (and no spares).
     */
    int retainBound(int c) {
        return isShared() ? SHARED_RETAIN_BOUND[c] : RETAIN_BOUND[c];
    }

    private static final long RETAINED_BLOCKS = 64;
    private static final int[] RETAIN_BOUND = new int[SizeClasses.COUNT];
    private static final int[] SPARE_OFFSET = new int[SizeClasses.COUNT + 1];
    /**
     * A heap, thread or shared, retains one full page of a medium class whose page holds at most
     * {@link #SHARED_RETAIN_MAX_BLOCKS} blocks (20-64 KiB), none of the others. Such a page is
     * used up every few allocations; let go of, it cost a class lock to detach it, a pinned settle
     * under the class lock at the first free into it, and a class lock to adopt it back. Retained,
     * its room is seen in its REMOTE count and it is made current again with no lock (Larson,
     * 2 threads: +6-8% throughput, peak RSS level; every medium class retaining one page: +11%,
     * but +3 MiB, as the smaller classes' live blocks per heap fit one page; measured when shared
     * heaps served the medium classes of platform threads). The purger detaches the retained pages
     * of an idle shared heap ({@link Heaps#reclaim}).
     */
    private static final int SHARED_RETAIN_MAX_BLOCKS = 12;
    private static final int[] SHARED_RETAIN_BOUND = new int[SizeClasses.COUNT];

    static {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            PageKind kind = PageKind.forBlockSize(SizeClasses.blockSize(c));
            long perPage = kind.pageSize / SizeClasses.blockSize(c);
            RETAIN_BOUND[c] = kind == PageKind.MEDIUM
                    ? (perPage <= SHARED_RETAIN_MAX_BLOCKS ? 1 : 0)
                    : (int) Math.max(1, Math.min(8, (RETAINED_BLOCKS + perPage - 1) / perPage));
            // Thread heaps serve small and medium classes (Heaps.serving): spare slots for those. A
            // medium class has one, for the current page the owner's free emptied (see freeOwned).
            int slots = kind == PageKind.SMALL ? RETAIN_BOUND[c] : kind == PageKind.MEDIUM ? 1 : 0;
            SPARE_OFFSET[c + 1] = SPARE_OFFSET[c] + slots;
            SHARED_RETAIN_BOUND[c] = kind == PageKind.MEDIUM && perPage <= SHARED_RETAIN_MAX_BLOCKS ? 1 : 0;
        }
    }

    /**
     * Put a spare (an emptied retained page, or a parked medium page) in a free slot of class {@code c}; false if none is
     * free. Only the owner makes a slot non-zero, so a slot it reads as zero stays zero until its
     * release store, which publishes the page's record to whoever takes it (owner or purger).
     */
    boolean putSpare(int c, long p) {
        for (int i = SPARE_OFFSET[c]; i < SPARE_OFFSET[c + 1]; i++) {
            if (spares.getPlain(i) == 0) {
                spares.setRelease(i, p);
                return true;
            }
        }
        return false;
    }

    /**
     * Takes a spare of class {@code c} (still OWNED by this heap, empty), 0 if none. The owner and
     * the purger ({@link #stealSpare}) race for a slot with an atomic swap: one of them gets it.
     */
    long takeSpare(int c) {
        if (isShared()) {
            return 0;
        }
        for (int i = SPARE_OFFSET[c]; i < SPARE_OFFSET[c + 1]; i++) {
            if (spares.getPlain(i) != 0) {
                long p = spares.getAndSet(i, 0);
                if (p != 0) {
                    return p;
                }
            }
        }
        return 0;
    }

    /** Any thread: takes the spare in slot {@code i} away from the heap (0 if none); the caller detaches it. */
    long stealSpare(int i) {
        return spares.length() == 0 || spares.getPlain(i) == 0 ? 0 : spares.getAndSet(i, 0);
    }

    /** How many spare slots {@link #stealSpare} may look at. */
    int spareSlots() {
        return spares.length();
    }

    /** Whether this is a shared heap (callers hold its monitor) rather than one thread's. */
    boolean isShared() {
        return thread == null;
    }

    /**
     * The fast path: pop the free list, else carve the next never-used block. 0 = go to the slow
     * path ({@link Pages#refill}): the page has no block left, or a batch of blocks other threads
     * freed is waiting (reusing memory that is already resident beats faulting in fresh pages).
     * {@code claims}: checks mode (see {@link #unmark}). {@code zeroed}: set {@link #lastZero}
     * (a store the plain allocation, where it is a constant false, does without).
     */
    long allocate(int c, boolean claims, boolean zeroed) {
        return next(state, c, claims, true, zeroed);
    }

    /**
     * Pops the free list or carves, whatever other threads are doing: 0 only if the page has no
     * block left. The slow path's allocation, which must not read the remote hint (other threads
     * can push a whole batch at any moment; that is what issue 9's race was).
     */
    long take(int c, boolean claims) {
        return next(state, c, claims, false, true);
    }

    /** Whether the block the last allocation returned is known to be all zero. */
    boolean lastZero() {
        return lastZero(state);
    }

    static boolean lastZero(long[] state) {
        return state[LAST_ZERO] != 0;
    }

    /**
     * {@link #allocate} and {@link #take} in one body, and the fast path's allocation on the
     * {@link #state} array of a thread heap, as {@link Heaps#cachedState} returns it. {@code hinted}
     * is a constant at each call, which C2 folds, and so is {@code zeroed} on the plain allocation's
     * path. One method, with the hand-out (mark live, count) written in it rather than called: every
     * frame between the public method and a raw access counts against C2's inlining depth
     * (Memory).
     */
    static long next(long[] state, int c, boolean claims, boolean hinted, boolean zeroed) {
        long block = state[c * STRIDE + FREE];
        if (block != 0) {
            state[c * STRIDE + FREE] = Memory.getLong(block);
            if (zeroed) {
                state[LAST_ZERO] = 0;
            }
        } else {
            block = state[c * STRIDE + BUMP];
            if (block >= state[c * STRIDE + BUMP_END] || hinted && batchWaiting(state, c)) {
                return 0;
            }
            state[c * STRIDE + BUMP] = block + SizeClasses.blockSize(c);
            if (zeroed) {
                state[LAST_ZERO] = block >= state[c * STRIDE + CLEAN] ? 1 : 0;
            }
        }
        // Hand the block out: free -> live in the alloc bitmap.
        long index = Math.unsignedMultiplyHigh(block - state[c * STRIDE + AREA], SizeClasses.reciprocal(c));
        long word = Layout.bitmapWord(state[c * STRIDE + BITMAP], index);
        long mask = 1L << index;
        Memory.putLong(word, Memory.getLong(word) | mask);
        if (claims) {
            // Checks mode: a block freed since it was carved still holds its remote bit (see unmark).
            // Released after the alloc bit (volatile), so a free that then reads the remote bit clear
            // (acquire) reads the block live. Only the owner clears a held bit: an atomic add.
            long remoteWord = word + Layout.BITMAP_BYTES;
            if ((Memory.getLong(remoteWord) & mask) != 0) {
                Memory.getAndAddLong(remoteWord, -mask);
            }
        }
        state[c * STRIDE + USED]++;
        state[c * STRIDE + ALLOCATIONS]++;
        return block;
    }

    /**
     * Whether other threads freed a batch of this class's blocks into the current page. A plain
     * load of the page's REMOTE word (an owned page has no DETACHED bit): only a hint, the swaps in
     * collect() are what synchronise, so a stale value just carves one more block or collects one
     * batch later.
     */
    private static boolean batchWaiting(long[] state, int c) {
        return Page.remoteCount(Memory.getLong(state[c * STRIDE + PAGE] + Page.REMOTE)) - state[c * STRIDE + LATE]
                >= SizeClasses.remoteBatch(c);
    }

    /**
     * Frees a block of the current page of class {@code c}. {@code bit} is the block's index in the
     * page. Returns {@link #NOT_LIVE} (and changes nothing) if the block is not live: a double free
     * (with {@code claim}, checks mode, also one racing another thread's free of the block, see
     * {@link #unmark}); {@link #EMPTIED} if it was the last block in use of a medium page, which
     * the caller then parks as a spare ({@link Pages#parkEmptied}): an idle thread must not hold
     * 256 KiB per medium class it once used, and only a spare can be taken from a live heap;
     * else {@link #FREED}. (An emptied small page stays current: 64 KiB per class.)
     */
    int freeOwned(int c, long block, long bit, boolean claim, HandOverHooks hooks) {
        return freeOwned(state, c, block, bit, claim, hooks);
    }

    /** {@link #freeOwned} on the {@link #state} array of a thread heap, as {@link Heaps#cachedState} returns it. */
    static int freeOwned(long[] state, int c, long block, long bit, boolean claim, HandOverHooks hooks) {
        // unmark, with its loads and its store written here: one frame less above the raw
        // accesses of the hot free (see next).
        long allocWord = Layout.bitmapWord(state[c * STRIDE + BITMAP], bit);
        long mask = 1L << bit;
        long alloc = Memory.getLong(allocWord);
        long remote = Memory.getLong(allocWord + Layout.BITMAP_BYTES); // plain: see unmark
        if (!unmarkable(allocWord, alloc, remote, mask, claim, state[c * STRIDE + PAGE], hooks)) {
            return NOT_LIVE;
        }
        Memory.putLong(allocWord, alloc & ~mask);
        Memory.putLong(block, state[c * STRIDE + FREE]);
        state[c * STRIDE + FREE] = block;
        long used = --state[c * STRIDE + USED];
        state[c * STRIDE + FREES]++;
        return used == 0 && c > Heaps.LAST_SMALL_CLASS ? EMPTIED : FREED;
    }

    /**
     * Frees a block of a retained page {@code p} of class {@code c} (owned by this heap, not its
     * current page): as {@link #freeOwned}, on the page's record. The record is this heap's while
     * it owns the page: other threads read its USED and LATE only once the page is DETACHED.
     * Returns {@link #NOT_LIVE} (and changes nothing) for a double free, {@link #EMPTIED} if the
     * page has no block in use any more (the caller makes it a spare).
     */
    int freeRetained(int c, long p, long block, long bit, boolean claim, HandOverHooks hooks) {
        if (!unmark(Layout.bitmapWord(Layout.allocBitmap(p), bit), 1L << bit, claim, p, hooks)) {
            return NOT_LIVE;
        }
        Memory.putLong(block, Memory.getLong(p + Page.FREE_LIST));
        Memory.putLong(p + Page.FREE_LIST, block);
        int used = Page.used(p) - 1;
        Memory.putInt(p + Page.USED, used);
        state[c * STRIDE + FREES]++;
        return used == 0 ? EMPTIED : FREED;
    }

    /**
     * The owner's half of a free: clears the alloc bit {@code mask} of {@code allocWord} (the
     * block's remote bit is at the same place in the remote word, {@link Layout#BITMAP_BYTES}
     * above) if the block is live; false, and nothing changed, if it is not.
     *
     * <p>Default mode ({@code claim} false): plain loads and a plain store, so the single-thread
     * hot path takes no atomic. Another thread's free of the same block at the same moment
     * ({@link Pages#freeRemote}) can then read both bits before our store and set its remote bit
     * after our loads: both succeed and the page holds the block twice (not detected;
     * docs/architecture.md, "Unsized free").
     *
     * <p>Checks mode: exactly one of the two succeeds. We claim the block: a CAS sets its remote
     * bit and fails if it is set (the other free came first: we lose, having written nothing);
     * then we clear the alloc bit. The remote bit stays set while the block is free (A=0 R=1) and
     * is released only when the block is handed out again ({@link #next}), so every other free
     * of it fails: its CAS expects the bit clear (a release here would let a free that read the
     * bits before our claim succeed with its CAS on a word that looks unchanged). Take-backs in
     * checks mode hold the bits they take the same way ({@link #collect}).
     */
    private static boolean unmark(long allocWord, long mask, boolean claim, long page, HandOverHooks hooks) {
        long alloc = Memory.getLong(allocWord);
        long remote = Memory.getLong(allocWord + Layout.BITMAP_BYTES); // plain: a hint, or the CAS's first expected value
        if (!unmarkable(allocWord, alloc, remote, mask, claim, page, hooks)) {
            return false;
        }
        Memory.putLong(allocWord, alloc & ~mask);
        return true;
    }

    /**
     * {@link #unmark}'s decision, given the alloc and remote words it read: whether the block is
     * live and, in checks mode, claimed (a CAS on the remote word).
     */
    private static boolean unmarkable(long allocWord, long alloc, long remote, long mask, boolean claim,
                                      long page, HandOverHooks hooks) {
        if ((alloc & mask) == 0 || (remote & mask) != 0) {
            return false;
        }
        if (HandOverHooks.ENABLED) hooks.reached(HandOverHooks.Point.OWNER_FREE_CHECKED, page);
        return !claim || claim(allocWord + Layout.BITMAP_BYTES, remote, mask);
    }

    /** Sets the remote bit {@code mask} with a volatile CAS, unless it is set (false); retries when other bits moved. */
    private static boolean claim(long remoteWord, long remote, long mask) {
        while (true) {
            long witness = Memory.compareAndExchangeLong(remoteWord, remote, remote | mask);
            if (witness == remote) {
                return true;
            }
            if ((witness & mask) != 0) {
                return false;
            }
            remote = witness;
        }
    }

    static final int NOT_LIVE = 0;
    static final int FREED = 1;
    static final int EMPTIED = 2;

    /**
     * Takes back the blocks other threads freed into this heap's page of class {@code c}, after
     * the caller swapped {@code counted} frees out of the page's count: swaps every non-zero
     * remote-bitmap word of the carved area to zero and puts those blocks on the free list. The
     * blocks' own memory is written here, by the thread that will hand them out, never by the
     * freeing threads. Bits whose count comes later are owed as {@code late} (see {@link Page}).
     *
     * <p>Checks mode ({@code claims}): takes the blocks whose bits are both set and leaves their
     * remote bits set (held until {@link #next}, as the owner's own frees hold theirs, see
     * {@link #unmark}); bits of free blocks (alloc bit clear) are such held bits, not frees.
     */
    void collect(int c, int counted, boolean claims) {
        int size = SizeClasses.blockSize(c);
        long carved = (state[c * STRIDE + BUMP] - state[c * STRIDE + AREA]) / size;
        long allocWords = state[c * STRIDE + BITMAP];
        long head = state[c * STRIDE + FREE];
        int taken = 0;
        // Downwards, so that the lowest addresses end up first on the list.
        for (long w = (carved + 63) >>> 6; --w >= 0; ) {
            long word = allocWords + Layout.wordOffset(w);
            long remoteWord = word + Layout.BITMAP_BYTES;
            // Plain read first: most words are zero. A bit whose count the caller swapped is seen:
            // the freer's CAS on this word came before its add, which came before that swap.
            long bits = Memory.getLong(remoteWord);
            if (bits == 0) {
                continue;
            }
            if (claims) {
                // Only the alloc bits change: the remote bits stay held, so there is nothing to
                // release and no second free can find these blocks live.
                long alloc = Memory.getLong(word);
                bits &= alloc;
                Memory.putLong(word, alloc & ~bits);
            } else {
                // Clear the alloc bits before the remote bits are released (CAS, volatile): a racing
                // second free that reads a remote bit clear afterwards then reads its alloc bit clear.
                while (true) {
                    Memory.putLong(word, Memory.getLong(word) & ~bits);
                    if (Memory.compareAndSetLong(remoteWord, bits, 0)) {
                        break;
                    }
                    // A freer's CAS set more bits (only we clear them): acquire, as for the swap.
                    bits = Memory.getLongAcquire(remoteWord);
                }
            }
            taken += Long.bitCount(bits);
            while (bits != 0) {
                int top = 63 - Long.numberOfLeadingZeros(bits);
                bits &= ~(1L << top);
                long block = state[c * STRIDE + AREA] + ((w << 6) + top) * size;
                Memory.putLong(block, head);
                head = block;
            }
        }
        state[c * STRIDE + FREE] = head;
        state[c * STRIDE + USED] -= taken;
        state[c * STRIDE + LATE] += taken - counted;
    }

    /** Makes {@code p} the page of class {@code c}, loading its record's fields. */
    void attach(int c, long p) {
        state[c * STRIDE + PAGE] = p;
        state[c * STRIDE + FREE] = Memory.getLong(p + Page.FREE_LIST);
        state[c * STRIDE + USED] = Page.used(p);
        state[c * STRIDE + LATE] = Page.late(p);
        state[c * STRIDE + AREA] = Page.areaStart(p);
        state[c * STRIDE + BUMP] = Memory.getLong(p + Page.BUMP);
        state[c * STRIDE + BUMP_END] = state[c * STRIDE + AREA] + (long) Page.capacity(p) * SizeClasses.blockSize(c);
        state[c * STRIDE + CLEAN] = Memory.getLong(p + Page.DIRTY_END);
        state[c * STRIDE + BITMAP] = Layout.allocBitmap(p);
    }

    /** Writes the cached fields back to the page record and forgets the page (still OWNED); returns it. */
    long release(int c) {
        long p = state[c * STRIDE + PAGE];
        Memory.putLong(p + Page.FREE_LIST, state[c * STRIDE + FREE]);
        Memory.putInt(p + Page.USED, (int) state[c * STRIDE + USED]);
        Memory.putInt(p + Page.LATE, (int) state[c * STRIDE + LATE]);
        Memory.putLong(p + Page.BUMP, state[c * STRIDE + BUMP]);
        state[c * STRIDE + PAGE] = 0;
        state[c * STRIDE + FREE] = 0;
        state[c * STRIDE + BUMP] = 0;
        state[c * STRIDE + BUMP_END] = 0;
        state[c * STRIDE + USED] = 0;
        state[c * STRIDE + LATE] = 0;
        return p;
    }

    /** Adds {@code p} (OWNED by this heap, its fields in its record) first to the retained pages of class {@code c}. */
    void retain(int c, long p) {
        PageLinks.push(retained, c, p);
        retainedCount[c]++;
    }

    /** Removes {@code p} from the retained pages of class {@code c}; it stays OWNED. */
    void unretain(int c, long p) {
        PageLinks.remove(retained, c, p);
        retainedCount[c]--;
    }

    /** The first retained page of class {@code c} (the last one retained), 0 if none. */
    long firstRetained(int c) {
        return retained[c];
    }

    int retainedCount(int c) {
        return retainedCount[c];
    }

    /** The page of class {@code c}, 0 if none. */
    long page(int c) {
        return page(state, c);
    }

    static long page(long[] state, int c) {
        return state[c * STRIDE + PAGE];
    }

    /**
     * The index of the block starting at {@code address} in the current page of class {@code c},
     * -1 if the address is not a block's start (inside a block, or past the blocks that fit):
     * Allocator.blockIndex on the cached copies of the page's fields, no read of its record.
     * {@code address} lies in that page (the caller compared the page with {@link #page}).
     */
    static long indexInPage(long[] state, int c, long address) {
        long offset = address - state[c * STRIDE + AREA];
        if (offset < 0 || address >= state[c * STRIDE + BUMP_END]) {
            return -1;
        }
        long index = Math.unsignedMultiplyHigh(offset, SizeClasses.reciprocal(c));
        return index * SizeClasses.blockSize(c) == offset ? index : -1;
    }

    /**
     * Makes this heap, whose thread is dead, {@code heir}'s: its pages (current, retained, spares;
     * OWNED under this heap's id, which does not change), free lists and counters go on as the
     * heir's, as a C allocator's arena passes to the next thread. The caller holds the Heaps lock
     * and is {@code heir}: its isAlive() == false on the dead thread happens-after all that thread
     * did, so the plain state it wrote is visible here.
     */
    void inherit(Thread heir) {
        thread = new WeakReference<>(heir);
        threadId = heir.threadId();
        state[THREAD_ID] = threadId;
    }

    /** This heap's state array, for the thread-id cache of {@link Heaps} (which only reads it). */
    long[] stateArray() {
        return state;
    }

    /** The owner's thread id in a {@link #state} array (-1: a shared heap's). */
    static long threadId(long[] state) {
        return state[THREAD_ID];
    }

    /** Blocks of the page of class {@code c} that are not on the free list (see {@link Page}). */
    int used(int c) {
        return (int) state[c * STRIDE + USED];
    }

    /** The free list of class {@code c} (for checks). */
    long freeList(int c) {
        return state[c * STRIDE + FREE];
    }

    /** Remote counts owed to the page of class {@code c} (for checks). */
    int late(int c) {
        return (int) state[c * STRIDE + LATE];
    }

    /** The bump pointer of class {@code c} (for checks). */
    long bump(int c) {
        return state[c * STRIDE + BUMP];
    }

    /** Counts a free this heap's thread made into a page it does not own. */
    void countRemoteFree(int c) {
        countRemoteFrees(c, 1);
    }

    /** Counts {@code n} frees of class {@code c} this heap's thread made into pages it does not own ({@link FreeBatch}). */
    void countRemoteFrees(int c, int n) {
        state[c * STRIDE + FREES] += n;
    }

    long allocations(int c) {
        return state[c * STRIDE + ALLOCATIONS];
    }

    long frees(int c) {
        return state[c * STRIDE + FREES];
    }

    long totalAllocations() {
        long sum = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) sum += state[c * STRIDE + ALLOCATIONS];
        return sum;
    }
}
