package dev.emma.heap;

import dev.emma.memory.Memory;
import dev.emma.page.Page;
import dev.emma.page.SizeClasses;
import dev.emma.segment.Layout;

/**
 * A thread heap's frees into pages it does not own, gathered per size class while they hit the
 * same remote-bitmap word and handed over in one step ({@link Pages#freeRemote}): one CAS on the
 * page's remote-bitmap word and one on its REMOTE word per batch instead of per block, and no read
 * of its alloc bitmap per free (the page's owner writes that line as it hands blocks out: a read per
 * free moved it between the two threads and cost half the gain). A consumer thread freeing what a
 * producer allocated frees each class's blocks in allocation order, so its consecutive frees of a
 * class share a word. Classes up to {@link Heaps#LAST_SMALL_CLASS} only; larger blocks are
 * freed at once.
 *
 * <p>A gathered block is still live for everyone else (alloc bit set, remote bit clear, no count):
 * the batch only delays its free, and nothing in the page protocol changes (see {@link Page}).
 * Plain fields, confined to the heap's thread like {@link Heap}, so a free takes no atomic: an
 * atomic per free (tried, so that the purger could take an idle thread's batches) drains the store
 * buffer and cost the JMH producer/consumer at 64 B half its gain. So the delay is bounded by the
 * thread itself: a class's batch is handed over when a free of the class hits another word or when
 * it holds {@link #LIMIT} blocks (at most 64, at most {@link #CLASS_BYTES}); another batch in a
 * page that was DETACHED when it began when a free would begin more than {@link #MAX_DETACHED} of
 * those; all of them when more than {@link #MAX_BYTES} are gathered, when the thread refills a page
 * or calls flushFrees() or trim(), and when its heap is reclaimed after it died (a thread that
 * inherits the heap, {@code Heap.inherit}, goes on with its batches). A live thread that
 * stops calling Emma keeps at most {@link #MAX_BYTES} of blocks from going back, in at most
 * {@link #MAX_DETACHED} detached pages (and, rarely, pages that were detached after their batch
 * began: a page of each class at most).
 *
 * <p>A second free of a gathered block, or of one another thread freed and the owner has not taken
 * back (remote bit set), is seen at the call. Any other bad free (of a block that is free, or that
 * another thread gathered too) is seen at the hand-over, which sets a remote bit only where the
 * block is live: that block is dropped, and counted as an invalid free instead of a free. If the
 * owner hands such a block out again before the hand-over, the hand-over frees the new block, as a
 * double free made after the reuse would (docs/architecture.md, "Unsized free"). The default mode
 * only counts invalid frees anyway; checks mode does not batch, so there every bad free throws at
 * the call.
 */
final class FreeBatch {
    /**
     * At most this many bytes of blocks wait in one class's batch: a 64 KiB page's worth, so all
     * the 16 blocks of a 4 KiB page go over in one step. At 16 KiB (4 such blocks) JMH
     * producer/consumer ran at about half the speed at 4 KiB (5.7-8.6 against 10.7-14.5 ops/us, 3
     * of 3 interleaved runs on the 2-core VM), and 10% slower at 64 B.
     */
    static final long CLASS_BYTES = 64 * 1024;
    /**
     * All batches are handed over when more than this many bytes are gathered. At 16 KiB a thread
     * freeing a mix of sizes (ProducerConsumer, 16 B-4 KiB: 28 classes, about one block of each in
     * 16 KiB) handed over about one block per batch; at 256 KiB its batches grow to what one size
     * gets, and its throughput rose 60-100% (2-core VM, interleaved, peak RSS level). The price is
     * what an idle thread holds back, as a native allocator's per-thread cache does.
     */
    static final long MAX_BYTES = 256 * 1024;
    /**
     * At most this many batches at once are in pages that were DETACHED when they began: pages that
     * go back to the pool once their blocks are back, which a batch left waiting would prevent.
     */
    static final int MAX_DETACHED = 4;
    private static final int CLASSES = Heaps.LAST_SMALL_CLASS + 1;

    private final Heap heap;
    private final long[] page = new long[CLASSES];      // page record of the class's batch
    private final long[] allocWord = new long[CLASSES]; // its alloc-bitmap word (the remote word is BITMAP_BYTES above), 0 = no batch
    private final long[] mask = new long[CLASSES];      // the gathered blocks' bits in that word
    private long open;                                  // bit c: class c has a batch
    private long detached;                              // bit c: class c's batch is in a page that was DETACHED when it began
    private long bytes;                                 // bytes of blocks in open batches

    FreeBatch(Heap heap) {
        this.heap = heap;
    }

    /** Whether {@link #add} takes frees of class {@code c}. */
    static boolean gathers(int c) {
        return c < CLASSES;
    }

    /**
     * Gathers the free of block {@code bit} of page {@code p} (class {@code c}, {@link #gathers},
     * not this heap's), handing the class's batch over first if the block is in another word.
     * False, with nothing changed, if the block is gathered already or its remote bit is set (a double free).
     */
    boolean add(Pages pages, Heaps heaps, int c, long p, long bit) {
        long word = Layout.bitmapWord(Layout.allocBitmap(p), bit);
        long m = 1L << bit;
        // A block gathered already, or freed by another thread and not yet taken back by its owner
        // (remote bit set: a plain read, a hint), is a bad free, seen at the call; checked first, so
        // that a rejected free opens no batch. The alloc bit is not read here (the hand-over checks
        // it): the page's owner writes that line as it hands out blocks, and reading it per free
        // halved the gain (JMH producer/consumer, 64 B).
        boolean gathered = word == allocWord[c] && (mask[c] & m) != 0;
        if (gathered || (Memory.getLong(word + Layout.BITMAP_BYTES) & m) != 0) {
            return false;
        }
        if (word != allocWord[c]) {
            if (allocWord[c] != 0) {
                handOver(pages, heaps, c);
            }
            // A plain read of the state, a hint: it only decides how many batches may wait.
            if (Page.state(p) == Page.DETACHED) {
                if (Long.bitCount(detached) >= MAX_DETACHED) {
                    handOver(pages, heaps, Long.numberOfTrailingZeros(detached));
                }
                detached |= 1L << c;
            }
            page[c] = p;
            allocWord[c] = word;
            open |= 1L << c;
        }
        mask[c] |= m;
        bytes += SizeClasses.blockSize(c);
        if (Long.bitCount(mask[c]) >= LIMIT[c]) {
            handOver(pages, heaps, c);
        } else if (bytes > MAX_BYTES) {
            flush(pages, heaps);
        }
        return true;
    }

    /** Hands every batch over. */
    void flush(Pages pages, Heaps heaps) {
        for (long o = open; o != 0; o &= o - 1) {
            handOver(pages, heaps, Long.numberOfTrailingZeros(o));
        }
    }

    /** Bytes of the blocks in open batches (tests). */
    long gatheredBytes() {
        return bytes;
    }

    /** Blocks at which class {@code c}'s batch is handed over (tests). */
    static int limit(int c) {
        return LIMIT[c];
    }

    /** Hands class {@code c}'s batch over: sets the remote bits and adds their count (see {@link Pages#freeRemote}). */
    private void handOver(Pages pages, Heaps heaps, int c) {
        long p = page[c];
        long bits = mask[c];
        long word = allocWord[c];
        int gathered = Long.bitCount(bits);
        bytes -= gathered * (long) SizeClasses.blockSize(c);
        allocWord[c] = 0;
        mask[c] = 0;
        open &= ~(1L << c);
        detached &= ~(1L << c);
        // The page cannot have changed hands while a gathered block is live, but if another thread's
        // (double) free of each of them emptied it meanwhile, it may serve another class now: read
        // the class again, as a single free does, so that the window is no wider than a single free's.
        int freed = Page.sizeClass(p) == c ? pages.freeRemote(c, p, word, bits) : 0; // checks every block's bits
        int invalid = gathered - freed;
        if (invalid != 0) {
            heaps.uncountBatchedFrees(heap, c, invalid);
        }
    }

    /** Blocks at which a class's batch is handed over: at most a bitmap word, at most {@link #CLASS_BYTES}. */
    private static final int[] LIMIT = new int[CLASSES];

    static {
        if (CLASSES > 64) {
            throw new AssertionError("FreeBatch keeps one bit per class in a long");
        }
        for (int c = 0; c < CLASSES; c++) {
            LIMIT[c] = (int) Math.max(1, Math.min(64, CLASS_BYTES / SizeClasses.blockSize(c)));
        }
    }
}
