package dev.emma.bridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import jdk.internal.vm.annotation.DontInline;

/**
 * Live bytes of blocks whose free says nothing of their size (libc's blocks in passthrough mode;
 * the Linker route in both modes), estimated without per-block state or a shared write on the hot
 * path. A sample of the blocks is remembered with its size:
 *
 * <ul>
 *   <li>A block of {@code size >= THRESHOLD} bytes is always sampled; a smaller one with
 *       probability {@code size / THRESHOLD}, decided by the thread's own random number (a
 *       per-thread field, no shared write). Each sampled block stands for {@code 1 / p} blocks
 *       and {@code size / p} bytes (the Horvitz-Thompson estimator), so the estimates are
 *       unbiased: exact for big blocks, and for small ones the standard error of the live bytes is
 *       about {@code sqrt(THRESHOLD * smallLiveBytes)} (6 % of 16 MiB of small blocks, 1.6 % of 256 MiB).</li>
 *   <li>A sampled block is put in a table indexed by a hash of its address; every free looks
 *       there (one load from a table that only sampled events write) and takes the block out if it
 *       is there. A block whose slot is taken goes to an overflow map, which frees consult only
 *       while it holds a block (a count, read with the slot): the map is empty unless two sampled
 *       blocks live in one slot at once, and the free path reads nothing that is written often.
 *       (Two slots per bucket made the overflow rarer still, but cost the common path about 7 % on
 *       64-byte batches for its second load; the overflow's look-up is lock-free and read-only.)</li>
 *   <li>The live figures are the sample itself: a reading sums the table and the overflow (16,384
 *       slots, some microseconds, once per reading). Only a sampled block's free adds to shared
 *       counters (two adds: freed bytes and blocks of its tag); what was allocated is what was freed
 *       plus what is live. So a sampled allocation is one CAS and two stores on one cache line, a
 *       retag one store: at 16 threads each shared add is a cache line that may move between cores.</li>
 * </ul>
 *
 * Unsampled allocations cost one random number and a compare; frees one hash and two loads. A block
 * freed by a route the agent does not see stays in the sample until the allocator hands out its
 * address again and that block is sampled (it then replaces the stale one) or freed: the error is
 * that one block. Each block carries a tag
 * ({@link #OTHER}, {@link #LINKER} or {@link #APPLICATION}) so that a route's part can be read apart.
 */
final class SampledBlocks {

    static final int OTHER = 0;
    static final int LINKER = 1;
    /** Allocated through {@code sun.misc.Unsafe}: the application's own (re-tagged from {@link #OTHER}). */
    static final int APPLICATION = 2;
    private static final int TAG_BITS = 2;

    /** Blocks at least this big are always sampled; a power of two. */
    static final long THRESHOLD = 64 * 1024;
    private static final int FRACTION_BITS = 16;
    private static final int SLOT_BITS = 14;
    /** A slot being filled: its block is not counted yet, and no free can be looking for it (see {@link #remember}). */
    private static final long CLAIMED = 1;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle OVERFLOWING;
    private static final VarHandle TABLE;

    static {
        try {
            OVERFLOWING = MethodHandles.lookup().findVarHandle(SampledBlocks.class, "overflowing", int.class);
            TABLE = MethodHandles.lookup().findVarHandle(SampledBlocks.class, "table", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The table, allocated at the first sampled block (256 KiB, resident, that a JVM which never
     * samples does not pay): until then null, and a free is one load and a branch. Slot {@code i} is
     * two longs, so a sampled event touches one cache line: at {@code 2 * i} the block's address (0:
     * empty, {@link #CLAIMED}: being filled), at {@code 2 * i + 1} its entry (its size shifted left
     * by {@link #TAG_BITS}, its tag in the low bits). Published with a release; a racy plain read
     * on the free path sees null, zeros or addresses.
     */
    private long[] table;
    /** Blocks whose slot was taken; consulted only while {@link #overflowing} is not zero. */
    private final ConcurrentHashMap<Long, Long> overflow = new ConcurrentHashMap<>();
    /**
     * Blocks in {@link #overflow} or about to enter or leave it: raised before a put, lowered after
     * its remove, so it is at least one from a block's allocation to its free (one atomic, unlike the
     * map's striped size). Written only by overflowing blocks (rare); the common paths only read it.
     * Not a sticky flag: once set, a flag sent every later free there for good, each locking a bin
     * in {@code ConcurrentHashMap.remove} (a scaling cliff at 16 threads). A field of this object,
     * not an {@code AtomicInteger}: the common paths read it with no pointer to follow.
     */
    private volatile int overflowing;
    /** Per tag: bytes (requested, weighted by {@code 1 / p}) and blocks (fixed point) of freed sampled blocks. */
    private final LongAdder[] freedBytes = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder[] freedBlocks = {new LongAdder(), new LongAdder(), new LongAdder()};

    /** Allocates the table once; the first sampled block's thread (or threads) only. */
    private synchronized long[] table() {
        long[] t = table;
        if (t == null) {
            t = new long[2 << SLOT_BITS];
            TABLE.setRelease(this, t);
        }
        return t;
    }

    /** A block of {@code size} bytes was allocated at {@code address}. */
    void allocated(long address, long size, int tag) {
        if (size >= THRESHOLD || size > 0 && (ThreadLocalRandom.current().nextInt() & (THRESHOLD - 1)) < size) {
            remember(address, size, tag);
        }
    }

    /** A sampled block: out of line, so that the unsampled path inlined into the JDK's method stays a draw and a branch. */
    @DontInline
    private void remember(long address, long size, int tag) {
        long[] t = (long[]) TABLE.getAcquire(this);
        if (t == null) {
            t = table();
        }
        int at = 2 * slot(address);
        long entry = size << TAG_BITS | tag;
        // Claim, write the entry, then publish the address with a release: a reading that finds the
        // address (acquire) finds its entry. No free looks for this block before this call returns
        // (its caller's hand-over of the address orders them), so CLAIMED is never taken for it.
        if (SLOT.compareAndSet(t, at, 0L, CLAIMED)) {
            t[at + 1] = entry;
            SLOT.setRelease(t, at, address);
        } else if ((long) SLOT.getOpaque(t, at) == address) {
            // A block at this address was freed by a route the agent does not see, and the allocator
            // has handed the address out again: that block is gone. Its entry is replaced in place
            // (no free can be looking for it, nor yet for the new block), or it stayed in the sample,
            // and sent every later free to the overflow, for good.
            countFree(t[at + 1]);
            t[at + 1] = entry;
        } else {
            OVERFLOWING.getAndAdd(this, 1); // before the put: a free that finds it zero finds no block there
            Long stale = overflow.put(address, entry);
            if (stale != null) { // the same, for a block that had overflowed
                OVERFLOWING.getAndAdd(this, -1);
                countFree(stale);
            }
        }
    }

    /** The block at {@code address} is about to be freed (or was resized away by a reallocation). */
    void freed(long address) {
        long[] t = this.table;
        if (t != null && mayBeSampled(t, address)) {
            forget(t, address);
        }
    }

    /**
     * Whether {@code address} is in its slot or the overflow holds anything: a load of the slot and
     * one of a rarely written count. (The overflow holds blocks only once the table exists.)
     */
    boolean mayBeSampled(long address) {
        long[] t = this.table;
        return t != null && mayBeSampled(t, address);
    }

    private boolean mayBeSampled(long[] t, long address) {
        return (long) SLOT.getOpaque(t, 2 * slot(address)) == address || overflowing != 0;
    }

    /** The block may be in the sample: out of line, as {@link #remember}. */
    @DontInline
    private void forget(long[] t, long address) {
        long entry = takeSampled(t, address);
        if (entry != 0) {
            countFree(entry);
        }
    }

    /**
     * Takes the block at {@code address} out of the sample before a reallocation that may free it,
     * and answers its entry (0 if it was not sampled). Taken only after the reallocation, the
     * allocator could have handed the address to another thread meanwhile, whose sampled block
     * replaces the stale entry in place: the late take then took the new block out. Then exactly one
     * of {@link #restore} (the reallocation failed: the block is still live there) or
     * {@link #countTaken} (it was freed or moved).
     */
    long take(long address) {
        long[] t = this.table;
        return t != null && mayBeSampled(t, address) ? takeSampled(t, address) : 0;
    }

    /** Puts back an entry {@link #take} answered: the reallocation failed, the block is unchanged at {@code address}. */
    void restore(long address, long entry) {
        if (entry != 0) {
            remember(address, entry >>> TAG_BITS, tagOf(entry));
        }
    }

    /** Counts the block whose entry {@link #take} answered as freed: the reallocation freed or moved it. */
    void countTaken(long entry) {
        if (entry != 0) {
            countFree(entry);
        }
    }

    /** Takes the block at {@code address} out of the sample: its entry, 0 if it is not in it. */
    private long takeSampled(long[] t, long address) {
        int at = 2 * slot(address);
        if ((long) SLOT.getOpaque(t, at) == address) {
            long entry = t[at + 1]; // written by the block's allocation (and retag), which happened before this free
            // A store, not a CAS: while the slot holds a live block, only that block's free writes it
            // (a remember CASes from 0 only; a retag writes the entry, before the block is handed out).
            // Release: the next claimer of the slot sees it empty only after this free read the entry.
            SLOT.setRelease(t, at, 0L);
            return entry;
        }
        // get first: a lock-free read, where remove would lock a non-empty bin even for a missing key
        if (overflow.get(address) != null) {
            Long entry = overflow.remove(address);
            if (entry != null) {
                OVERFLOWING.getAndAdd(this, -1);
                return entry;
            }
        }
        return 0;
    }

    private void countFree(long entry) {
        long size = entry >>> TAG_BITS;
        int tag = tagOf(entry);
        freedBytes[tag].add(Math.max(size, THRESHOLD)); // size / p
        freedBlocks[tag].add(blocks(size));
    }

    /**
     * The block at {@code address}, just allocated with tag {@link #OTHER}, belongs to {@code tag}:
     * one probe, and work only when the block is in the sample.
     */
    void retag(long address, int tag) {
        long[] t = this.table;
        if (t != null && mayBeSampled(t, address)) {
            retagSampled(t, address, tag);
        }
    }

    /** The block may be in the sample: out of line, as {@link #remember}. */
    @DontInline
    private void retagSampled(long[] t, long address, int tag) {
        int at = 2 * slot(address);
        if ((long) SLOT.getOpaque(t, at) == address) {
            // Only this block's allocating thread writes its entry now; a reading may see either tag.
            t[at + 1] = t[at + 1] & -(1L << TAG_BITS) | tag;
            return;
        }
        if (overflow.get(address) != null) {
            overflow.computeIfPresent(address, (key, old) -> old & -(1L << TAG_BITS) | tag);
        }
    }

    private static int tagOf(long entry) {
        return (int) (entry & ((1 << TAG_BITS) - 1));
    }

    /** How many blocks a sampled block of {@code size} stands for ({@code 1 / p}), in 1/2^16ths. */
    private static long blocks(long size) {
        return size >= THRESHOLD ? 1L << FRACTION_BITS : (THRESHOLD << FRACTION_BITS) / size;
    }

    /** The slot of {@code address} (a Fibonacci hash: its top bits). */
    static int slot(long address) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> (64 - SLOT_BITS));
    }

    /** Blocks in the sample now (for tests: the state kept is a small sample, not every block). */
    int remembered() {
        int[] count = {0};
        eachLive(entry -> count[0]++);
        return count[0];
    }

    /** Hands every block in the sample now (its entry) to {@code action}: the table's, then the overflow's. */
    private void eachLive(LongConsumer action) {
        long[] t = (long[]) TABLE.getAcquire(this);
        for (int at = 0; t != null && at < t.length; at += 2) {
            if ((long) SLOT.getAcquire(t, at) > CLAIMED) { // acquire: the entry was written before the address
                action.accept(t[at + 1]);
            }
        }
        overflow.values().forEach(action::accept);
    }

    /** Whether the table was allocated (for tests: not before the first sampled block). */
    boolean tableAllocated() {
        return table != null;
    }

    /** Blocks in the overflow map now (for tests: it holds only blocks whose slot was taken). */
    int overflowed() {
        return overflow.size();
    }

    /**
     * The estimates for blocks with {@code tag}, or for all blocks with a negative tag: the live part
     * summed from the sample now, the freed part from the counters. A block allocated or freed
     * during the reading may be missed or, for a moment, counted both live and freed; a block being
     * reallocated ({@link #take} to {@link #countTaken} or {@link #restore}) is neither for that moment.
     */
    RouterReading.SampleFigures read(int tag) {
        long[] live = {0, 0}; // bytes, blocks
        eachLive(entry -> {
            if (tag < 0 || tagOf(entry) == tag) {
                live[0] += Math.max(entry >>> TAG_BITS, THRESHOLD);
                live[1] += blocks(entry >>> TAG_BITS);
            }
        });
        long liveBytes = live[0];
        long liveBlocks = live[1];
        long freedBytes = 0;
        long freedBlocks = 0;
        for (int each = 0; each < this.freedBytes.length; each++) {
            if (tag < 0 || tag == each) {
                freedBytes += this.freedBytes[each].sum();
                freedBlocks += this.freedBlocks[each].sum();
            }
        }
        return new RouterReading.SampleFigures(liveBytes, liveBlocks >> FRACTION_BITS, liveBytes + freedBytes,
                (liveBlocks + freedBlocks) >> FRACTION_BITS, freedBlocks >> FRACTION_BITS);
    }
}
