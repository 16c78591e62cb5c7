package dev.emma.bridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
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
 * </ul>
 *
 * Unsampled allocations cost one random number and a compare; frees one hash and two loads. A block
 * freed by a route the agent does not see stays in the sample until the allocator hands out its
 * address again and that block is freed: the error is that one block. Each block carries a tag
 * ({@link #OTHER} or {@link #LINKER}) so that a route's part can be read apart.
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
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle OVERFLOWING;
    private static final VarHandle ADDRESSES;

    static {
        try {
            OVERFLOWING = MethodHandles.lookup().findVarHandle(SampledBlocks.class, "overflowing", int.class);
            ADDRESSES = MethodHandles.lookup().findVarHandle(SampledBlocks.class, "addresses", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The table, allocated at the first sampled block (256 KiB with {@link #entries}, resident, that
     * a JVM which never samples does not pay): until then null, and a free is one load and a branch.
     * Published with a release after {@link #entries}; {@link #remember} reads it with an acquire, so
     * a thread that finds a block in its slot (after the block's hand-over from its allocating
     * thread) also finds {@link #entries}. A racy plain read on the free path sees zeros or addresses.
     */
    private long[] addresses;
    /** A slot's block: its size shifted left by {@link #TAG_BITS}, its tag in the low bits. */
    private long[] entries;
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
    private final Figures[] figures = {new Figures(), new Figures(), new Figures()};

    /** Per tag: two adders per sampled event (a CAS each), bytes and blocks; blocks in fixed point (weights are fractions). */
    private static final class Figures {
        final LongAdder allocatedBytes = new LongAdder();
        final LongAdder freedBytes = new LongAdder();
        final LongAdder allocatedBlocks = new LongAdder();
        final LongAdder freedBlocks = new LongAdder();
    }

    /** Allocates the table once; the first sampled block's thread (or threads) only. */
    private synchronized long[] table() {
        long[] table = addresses;
        if (table == null) {
            entries = new long[1 << SLOT_BITS];
            table = new long[1 << SLOT_BITS];
            ADDRESSES.setRelease(this, table);
        }
        return table;
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
        long[] addresses = (long[]) ADDRESSES.getAcquire(this);
        if (addresses == null) {
            addresses = table();
        }
        int slot = slot(address);
        long entry = size << TAG_BITS | tag;
        if (SLOT.compareAndSet(addresses, slot, 0L, address)) {
            // Written after the claim, read only by the block's free, which happens after this
            // allocation returned: the caller's own hand-over of the address orders the two.
            entries[slot] = entry;
        } else {
            OVERFLOWING.getAndAdd(this, 1); // before the put: a free that finds it zero finds no block there
            overflow.put(address, entry);
        }
        Figures f = figures[tag];
        f.allocatedBytes.add(Math.max(size, THRESHOLD)); // size / p
        f.allocatedBlocks.add(blocks(size));
    }

    /** The block at {@code address} is about to be freed (or was resized away by a reallocation). */
    void freed(long address) {
        long[] addresses = this.addresses;
        if (addresses != null && mayBeSampled(addresses, address)) {
            forget(addresses, address);
        }
    }

    /**
     * Whether {@code address} is in its slot or the overflow holds anything: a load of the slot and
     * one of a rarely written count. (The overflow holds blocks only once the table exists.)
     */
    boolean mayBeSampled(long address) {
        long[] addresses = this.addresses;
        return addresses != null && mayBeSampled(addresses, address);
    }

    private boolean mayBeSampled(long[] addresses, long address) {
        int slot = slot(address);
        return (long) SLOT.getOpaque(addresses, slot) == address || overflowing != 0;
    }

    /** The block may be in the sample: out of line, as {@link #remember}. */
    @DontInline
    private void forget(long[] addresses, long address) {
        int slot = slot(address);
        if ((long) SLOT.getOpaque(addresses, slot) == address) {
            long entry = entries[slot];
            if (SLOT.compareAndSet(addresses, slot, address, 0L)) {
                uncount(entry);
                return;
            }
        }
        // get first: a lock-free read, where remove would lock a non-empty bin even for a missing key
        if (overflow.get(address) != null) {
            Long entry = overflow.remove(address);
            if (entry != null) {
                OVERFLOWING.getAndAdd(this, -1);
                uncount(entry);
            }
        }
    }

    private void uncount(long entry) {
        long size = entry >>> TAG_BITS;
        Figures f = figures[(int) (entry & ((1 << TAG_BITS) - 1))];
        f.freedBytes.add(Math.max(size, THRESHOLD));
        f.freedBlocks.add(blocks(size));
    }

    /**
     * The block at {@code address}, just allocated with tag {@link #OTHER}, belongs to {@code tag}:
     * one probe, and work only when the block is in the sample.
     */
    void retag(long address, int tag) {
        long[] addresses = this.addresses;
        if (addresses != null && mayBeSampled(addresses, address)) {
            retagSampled(addresses, address, tag);
        }
    }

    /** The block may be in the sample: out of line, as {@link #remember}. */
    @DontInline
    private void retagSampled(long[] addresses, long address, int tag) {
        int slot = slot(address);
        if ((long) SLOT.getOpaque(addresses, slot) == address) {
            move(entries[slot], tag);
            entries[slot] = entries[slot] & -(1L << TAG_BITS) | tag; // only this block's allocating thread writes it now
            return;
        }
        if (overflow.get(address) != null) {
            Long entry = overflow.computeIfPresent(address, (key, old) -> old & -(1L << TAG_BITS) | tag);
            if (entry != null) {
                move(entry & -(1L << TAG_BITS) | OTHER, tag);
            }
        }
    }

    /** Moves an allocated block's weight from its entry's tag to {@code tag}. */
    private void move(long entry, int tag) {
        long size = entry >>> TAG_BITS;
        Figures from = figures[(int) (entry & ((1 << TAG_BITS) - 1))];
        Figures to = figures[tag];
        long bytes = Math.max(size, THRESHOLD);
        from.allocatedBytes.add(-bytes);
        from.allocatedBlocks.add(-blocks(size));
        to.allocatedBytes.add(bytes);
        to.allocatedBlocks.add(blocks(size));
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
        int count = overflow.size();
        for (long address : addresses == null ? new long[0] : addresses) {
            if (address != 0) {
                count++;
            }
        }
        return count;
    }

    /** Whether the table was allocated (for tests: not before the first sampled block). */
    boolean tableAllocated() {
        return addresses != null;
    }

    /** Blocks in the overflow map now (for tests: it holds only blocks whose slot was taken). */
    int overflowed() {
        return overflow.size();
    }

    /** The estimates for blocks with {@code tag}, or for all blocks with a negative tag. */
    RouterReading.SampleFigures read(int tag) {
        long allocatedBytes = 0;
        long freedBytes = 0;
        long allocatedBlocks = 0;
        long freedBlocks = 0;
        for (int t = 0; t < figures.length; t++) {
            if (tag < 0 || tag == t) {
                allocatedBytes += figures[t].allocatedBytes.sum();
                freedBytes += figures[t].freedBytes.sum();
                allocatedBlocks += figures[t].allocatedBlocks.sum();
                freedBlocks += figures[t].freedBlocks.sum();
            }
        }
        return new RouterReading.SampleFigures(Math.max(0, allocatedBytes - freedBytes),
                Math.max(0, (allocatedBlocks - freedBlocks) >> FRACTION_BITS), allocatedBytes,
                allocatedBlocks >> FRACTION_BITS, freedBlocks >> FRACTION_BITS);
    }
}
