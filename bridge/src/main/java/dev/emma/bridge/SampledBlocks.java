package dev.emma.bridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Passthrough mode's live-byte estimate, without per-block state on the hot path. libc cannot say
 * how big a block is when it is freed, so a sample of blocks is remembered with its size:
 *
 * <ul>
 *   <li>A block of {@code size >= THRESHOLD} bytes is always sampled; a smaller one with
 *       probability {@code size / THRESHOLD}, decided by the thread's own random number (a
 *       per-thread field, no shared write). Each sampled block stands for {@code 1 / p} blocks
 *       and {@code size / p} bytes (the Horvitz-Thompson estimator), so the estimates are
 *       unbiased: exact for big blocks, and for small ones the standard error of the live bytes is
 *       about {@code sqrt(THRESHOLD * smallLiveBytes)} (6 % of 16 MiB of small blocks, 1.6 % of 256 MiB).</li>
 *   <li>A sampled block is put in a table indexed by a hash of its address; every free looks
 *       there (one load from a table that is only written by sampled events) and takes the block
 *       out if it is there. Table slots taken by another block go to an overflow map that frees
 *       only consult while it is in use.</li>
 * </ul>
 *
 * Unsampled allocations cost one random number and a compare; frees one hash and one load.
 * Blocks freed by a route the agent does not see stay in the sample (libc would then hand out the
 * same address again, and its free takes the stale entry out: the error is that one block).
 */
final class SampledBlocks {

    /** Blocks at least this big are always sampled; a power of two. */
    static final long THRESHOLD = 64 * 1024;
    private static final int FRACTION_BITS = 16;
    private static final long ONE = 1L << FRACTION_BITS;
    private static final int SLOT_BITS = 14;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] addresses = new long[1 << SLOT_BITS];
    private final long[] sizes = new long[1 << SLOT_BITS];
    private final boolean[] linker = new boolean[1 << SLOT_BITS];
    private final ConcurrentHashMap<Long, Sample> overflow = new ConcurrentHashMap<>();
    private volatile boolean overflowUsed;

    // Two adders per sampled event (a CAS each): bytes, and blocks in fixed point (weights are fractions).
    private final LongAdder allocatedBytes = new LongAdder();
    private final LongAdder freedBytes = new LongAdder();
    private final LongAdder allocatedBlocks = new LongAdder();
    private final LongAdder freedBlocks = new LongAdder();
    private final LongAdder linkerLiveBytes = new LongAdder();

    private record Sample(long size, boolean linker) {
    }

    /** A block was allocated natively; {@code viaLinker} for the Linker route. */
    void allocated(long address, long size, boolean viaLinker) {
        if (size <= 0 || size < THRESHOLD && (ThreadLocalRandom.current().nextInt() & (THRESHOLD - 1)) >= size) {
            return;
        }
        int slot = slot(address);
        if (SLOT.compareAndSet(addresses, slot, 0L, address)) {
            // Written after the claim, read only by the block's free, which happens after this
            // allocation returned: the caller's own hand-over of the address orders the two.
            sizes[slot] = size;
            linker[slot] = viaLinker;
        } else {
            overflowUsed = true;
            overflow.put(address, new Sample(size, viaLinker));
        }
        count(size, viaLinker);
    }

    /** A block is about to be freed natively (or was resized away by a reallocation). */
    void freed(long address) {
        int slot = slot(address);
        if ((long) SLOT.getOpaque(addresses, slot) == address) {
            long size = sizes[slot];
            boolean viaLinker = linker[slot];
            if (SLOT.compareAndSet(addresses, slot, address, 0L)) {
                uncount(size, viaLinker);
                return;
            }
        }
        if (overflowUsed) {
            Sample sample = overflow.remove(address);
            if (sample != null) {
                uncount(sample.size, sample.linker);
            }
        }
    }

    private void count(long size, boolean viaLinker) {
        long bytes = Math.max(size, THRESHOLD); // size / p
        allocatedBytes.add(bytes);
        allocatedBlocks.add(blocks(size));
        if (viaLinker) {
            linkerLiveBytes.add(bytes);
        }
    }

    private void uncount(long size, boolean viaLinker) {
        long bytes = Math.max(size, THRESHOLD);
        freedBytes.add(bytes);
        freedBlocks.add(blocks(size));
        if (viaLinker) {
            linkerLiveBytes.add(-bytes);
        }
    }

    /** How many blocks a sampled block of {@code size} stands for ({@code 1 / p}), in 1/2^16ths. */
    private static long blocks(long size) {
        return size >= THRESHOLD ? ONE : (THRESHOLD << FRACTION_BITS) / size;
    }

    static int slot(long address) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> (64 - SLOT_BITS));
    }

    /** Blocks in the sample now (for tests: the state kept is a small sample, not every block). */
    int remembered() {
        int count = overflow.size();
        for (long address : addresses) {
            if (address != 0) {
                count++;
            }
        }
        return count;
    }

    long liveBytes() {
        return Math.max(0, allocatedBytes.sum() - freedBytes.sum());
    }

    long liveBlocks() {
        return Math.max(0, (allocatedBlocks.sum() - freedBlocks.sum()) >> FRACTION_BITS);
    }

    long linkerLiveBytes() {
        return Math.max(0, linkerLiveBytes.sum());
    }

    long allocatedBytes() {
        return allocatedBytes.sum();
    }

    long allocations() {
        return allocatedBlocks.sum() >> FRACTION_BITS;
    }

    long frees() {
        return freedBlocks.sum() >> FRACTION_BITS;
    }
}
