package dev.emma.huge;

import dev.emma.memory.Memory;
import dev.emma.os.Failures;
import dev.emma.os.Syscalls;
import dev.emma.segment.Layout;
import dev.emma.segment.Mapper;
import dev.emma.segment.SegmentMap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongBinaryOperator;
import java.util.function.LongConsumer;

/**
 * Blocks above the largest size class, each in a mapping of its own: 4 MiB aligned (so its header
 * is found by masking, like a segment's), the block at {@code base + max(4 KiB, alignment)}. Only
 * the pages the block needs are readable and writable (and counted as mapped); the rest of the
 * last 4 MiB granule stays reserved, so the ownership map never claims someone else's memory and
 * a block can grow into it in place. A block that outgrows its granules moves with {@code mremap},
 * without copying. A freed block of up to {@value #MAX_CACHED_GRANULES} granules stays mapped for
 * reuse by a block of as many granules (at most {@value #CACHE_SLOTS} of them, {@code MAX_CACHED_BYTES}
 * readable and writable bytes in all), so a buffer grown by doubling, or a 4 MiB buffer (two granules
 * with its header page), freed and allocated over and over costs no syscall and no page fault; it is
 * unmapped once it was idle for the purge delay. Any other freed block is unmapped at once. A
 * freed mapping whose {@code munmap} failed (still mapped and counted) waits in a list of its own,
 * and every purge, trim and close tries again.
 *
 * <p>Header fields: MAPPING_LENGTH = reserved bytes (whole granules), HUGE_COMMITTED = readable and
 * writable bytes from the base (what counts as mapped), HUGE_USABLE = the block's usable bytes (its
 * request rounded to whole pages; a reused mapping may have more committed, which growth takes
 * first).
 */
public final class HugeBlocks {
    private final Mapper mapper;
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong liveBlocks = new AtomicLong();
    private final AtomicLong allocations = new AtomicLong();
    /**
     * Resident bytes past the ends of live blocks, in reused mappings (growth takes them first), at
     * most {@link #MAX_CACHED_BYTES}: a reuse that would pass it purges its surplus instead of
     * counting it. Each block's share is in its header (HUGE_SURPLUS), kept by the operations on
     * the block (reuse, grow, free), which its user serialises; an atomic, since those of
     * different blocks race.
     */
    private final AtomicLong liveSurplus = new AtomicLong();
    /**
     * Live blocks: mapping base -> block address; guarded by this. The single source of truth for
     * "is this a live huge block": frees decide by removing from it before reading any header, so
     * of two racing frees only the winner touches the mapping it then unmaps.
     */
    private final LiveMappings live = new LiveMappings();

    private static final int CACHE_SLOTS = 4;
    /** Mappings of more granules are unmapped when freed: 16 MiB of address space, up to 16 MiB resident. */
    private static final int MAX_CACHED_GRANULES = 4;
    /** The cache's readable and writable bytes at most (resident once written), whatever their number. */
    private static final long MAX_CACHED_BYTES = 32L << 20;
    // Freed mappings, still mapped and registered, most recent last; guarded by this.
    private final long[] cachedBase = new long[CACHE_SLOTS];
    private final long[] cachedSince = new long[CACHE_SLOTS];
    private int cached;
    /**
     * Freed mappings whose munmap failed: still mapped, registered and counted ({@link Mapper#unmap}),
     * neither live nor cached; every {@link #purge} and {@link #close} tries them again (without
     * this list nothing ever unmapped them: a leak until the process ended). Guarded by this. Its
     * length is bounded by the mappings it lists, each at least a granule still counted as mapped
     * (so by maxMappedBytes / 4 MiB under a cap); it grows only on that failure path.
     */
    private long[] unmapPending = new long[4];
    private int pending;
    /** Tests: called with the block's address once a usable-size look-up found it live (under this lock). */
    private final LongConsumer liveChecked;

    public HugeBlocks(Mapper mapper) {
        this(mapper, null);
    }

    /** Huge blocks whose usable-size look-ups call {@code liveChecked} (tests: forced interleavings), or none if null. */
    public HugeBlocks(Mapper mapper, LongConsumer liveChecked) {
        this.mapper = mapper;
        this.liveChecked = liveChecked;
    }

    private static long roundUp(long value, long unit) {
        long rounded = (value + unit - 1) & -unit;
        if (rounded < value) {
            throw new OutOfMemoryError("Emma: cannot map " + value + " bytes");
        }
        return rounded;
    }

    private static final long MAX_SIZE = 1L << 46;

    private static void checkSize(long size) {
        if (size > MAX_SIZE) {
            throw new OutOfMemoryError("Emma: cannot allocate " + size + " bytes (more than the address space)");
        }
    }

    /**
     * A block of {@code size} bytes aligned to {@code alignment}: a fresh mapping (all zero), or,
     * unless {@code zero} is asked for, a cached one when it can hold the block (its contents are
     * then undefined).
     */
    public long allocate(long size, long alignment, boolean zero) {
        checkSize(size);
        long offset = Math.max(Layout.HUGE_HEADER_SIZE, alignment);
        long accessible = roundUp(offset + size, Syscalls.PAGE_SIZE);
        if (!zero && offset == Layout.HUGE_HEADER_SIZE) {
            long reused = allocateCached(size);
            if (reused != 0) {
                return reused;
            }
        }
        long length = roundUp(accessible, Layout.SEGMENT_SIZE);
        long base = mapper.mapAligned(length, accessible, Math.max(Layout.SEGMENT_SIZE, alignment),
                SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
        Memory.putLong(base + Layout.MAPPING_LENGTH, length);
        Memory.putLong(base + Layout.HUGE_SURPLUS, 0); // nothing past the block: it ends where the commit does
        return register(base, offset, accessible - offset, accessible);
    }

    /**
     * A block of {@code size} bytes in a cached mapping of as many granules as a fresh one would
     * have, its contents undefined; 0 when none is cached. Costs no {@code mmap}, and no syscall at
     * all unless the block needs more than the mapping kept readable and writable, or much less than
     * its last block wrote (the surplus is purged). Only an exact granule count is taken: a larger
     * mapping would keep its reserved surplus mapped.
     */
    public long allocateCached(long size) {
        checkSize(size);
        long accessible = roundUp(Layout.HUGE_HEADER_SIZE + size, Syscalls.PAGE_SIZE);
        long length = roundUp(accessible, Layout.SEGMENT_SIZE);
        if (length > MAX_CACHED_GRANULES * Layout.SEGMENT_SIZE) {
            return 0;
        }
        long base = takeCached(length);
        if (base == 0) {
            return 0;
        }
        long committed = Memory.getLong(base + Layout.HUGE_COMMITTED);
        long counted = 0;
        if (accessible > committed) {
            try {
                mapper.commit(base + committed, accessible - committed);
            } catch (RuntimeException | Error e) {
                // Neither live nor cached, the mapping would stay mapped until the process ends.
                uncache(base, e);
                throw e;
            }
            committed = accessible;
        } else if (committed > accessible) {
            if (keepSurplus(committed - accessible)) {
                counted = committed - accessible;
            } else {
                // The mapping's last block was larger: its pages past this block were written and
                // stay resident. Kept without a bound, small blocks grown past 8 KiB
                // (Allocator.grownMapping) held up to 4 MiB each, 4 GiB in all (found in review).
                // Purged at each reuse instead, a buffer grown by doubling and freed over and over
                // refaulted every page each time (JMH realloc 16 B -> 1 MiB: 0.01x glibc). So what
                // the cache kept resident stays within the cache's own bound whether the mapping is
                // cached or reused. The purged pages stay readable and writable (committed): growth
                // in place needs no mprotect, and they read as zero, which undefined contents allow.
                try {
                    mapper.purge(base + accessible, committed - accessible);
                } catch (RuntimeException | Error e) {
                    uncache(base, e); // a mapping the kernel will not purge is not handed out with its surplus
                    return 0;
                }
            }
        }
        Memory.putLong(base + Layout.HUGE_SURPLUS, counted);
        return register(base, Layout.HUGE_HEADER_SIZE, accessible - Layout.HUGE_HEADER_SIZE, committed);
    }

    /**
     * Counts {@code bytes} of a reused mapping's resident surplus in {@link #liveSurplus} if the
     * total stays within {@link #MAX_CACHED_BYTES}; false, counting nothing, if not.
     */
    private boolean keepSurplus(long bytes) {
        while (true) {
            long now = liveSurplus.get(); // CAS loop: racing reuses cannot pass the bound together
            if (now + bytes > MAX_CACHED_BYTES) {
                return false;
            }
            if (liveSurplus.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    private long register(long base, long offset, long usable, long committed) {
        Memory.putLong(base + Layout.HUGE_BLOCK_OFFSET, offset);
        Memory.putLong(base + Layout.HUGE_USABLE, usable);
        Memory.putLong(base + Layout.HUGE_COMMITTED, committed);
        liveBytes.addAndGet(usable);
        liveBlocks.incrementAndGet();
        allocations.incrementAndGet();
        synchronized (this) {
            live.put(base, base + offset);
        }
        return base + offset;
    }

    /** Gives back a mapping taken from the cache but not used: cached again, or unmapped if the cache is full. */
    private void uncache(long base, Throwable failure) {
        if (!cache(base)) {
            try {
                unmapOrKeepPending(base);
            } catch (RuntimeException | Error again) {
                failure.addSuppressed(again);
            }
        }
    }

    /**
     * Unmaps a freed mapping, neither live nor cached; if the munmap fails, the mapping (still
     * mapped, registered and counted) is listed for {@link #purge} and {@link #close} to try again,
     * and the failure is thrown.
     */
    private void unmapOrKeepPending(long base) {
        try {
            unmapMapping(base);
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                if (pending == unmapPending.length) {
                    unmapPending = java.util.Arrays.copyOf(unmapPending, 2 * pending);
                }
                unmapPending[pending++] = base;
            }
            throw e;
        }
    }

    /** Tries again to unmap the mappings whose munmap failed; those that fail again stay listed. The first failure, or null. */
    private Throwable retryPendingUnmaps() {
        Throwable failure = null;
        int kept = 0;
        for (int i = 0; i < pending; i++) {
            long base = unmapPending[i];
            try {
                unmapMapping(base);
            } catch (RuntimeException | Error e) {
                unmapPending[kept++] = base;
                failure = Failures.add(failure, e);
            }
        }
        java.util.Arrays.fill(unmapPending, kept, pending, 0);
        pending = kept;
        return failure;
    }

    /** The most recently cached mapping of {@code length} bytes, taken out of the cache; 0 if none. */
    private synchronized long takeCached(long length) {
        for (int i = cached - 1; i >= 0; i--) {
            long base = cachedBase[i];
            if (Memory.getLong(base + Layout.MAPPING_LENGTH) == length) {
                System.arraycopy(cachedBase, i + 1, cachedBase, i, cached - i - 1);
                System.arraycopy(cachedSince, i + 1, cachedSince, i, cached - i - 1);
                cached--;
                return base;
            }
        }
        return 0;
    }

    /**
     * Keeps a freed mapping for reuse; false if it is too big or the cache is full (a slot, or
     * {@link #MAX_CACHED_BYTES}): the caller unmaps it.
     */
    private synchronized boolean cache(long base) {
        if (cached == CACHE_SLOTS || Memory.getLong(base + Layout.MAPPING_LENGTH) > MAX_CACHED_GRANULES * Layout.SEGMENT_SIZE) {
            return false;
        }
        long bytes = Memory.getLong(base + Layout.HUGE_COMMITTED);
        for (int i = 0; i < cached; i++) { // at most CACHE_SLOTS headers, each still mapped
            bytes += Memory.getLong(cachedBase[i] + Layout.HUGE_COMMITTED);
        }
        if (bytes > MAX_CACHED_BYTES) {
            return false;
        }
        cachedBase[cached] = base;
        cachedSince[cached++] = System.nanoTime();
        return true;
    }

    /**
     * Unmaps the freed mappings whose munmap failed before, and the cached mappings that were idle
     * for {@code delayNanos} (all with 0). A cached one whose munmap fails stays cached (still mapped
     * and registered: {@link Mapper#unmap}) as if just freed, and so do the ones not reached; a
     * pending one stays pending; then the first failure is thrown. The cache never lists an
     * unmapped one.
     */
    public synchronized void purge(long now, long delayNanos) {
        Throwable failure = retryPendingUnmaps();
        try {
            purgeCache(now, delayNanos);
        } catch (RuntimeException | Error e) {
            failure = Failures.add(failure, e);
        }
        Failures.rethrow(failure);
    }

    private void purgeCache(long now, long delayNanos) {
        int kept = 0;
        int i = 0;
        try {
            for (; i < cached; i++) {
                if (now - cachedSince[i] >= delayNanos) {
                    unmapMapping(cachedBase[i]);
                } else {
                    cachedBase[kept] = cachedBase[i];
                    cachedSince[kept++] = cachedSince[i];
                }
            }
        } catch (RuntimeException | Error e) {
            cachedSince[i] = System.nanoTime();
            for (; i < cached; i++) {
                cachedBase[kept] = cachedBase[i];
                cachedSince[kept++] = cachedSince[i];
            }
            throw e;
        } finally {
            cached = kept;
        }
    }

    private void unmapMapping(long base) {
        mapper.unmap(base, Memory.getLong(base + Layout.MAPPING_LENGTH), Memory.getLong(base + Layout.HUGE_COMMITTED));
    }

    /**
     * The header of the huge mapping holding {@code address}, which the ownership map says is in a
     * huge mapping: its own granule's base, or (a block aligned to 4 MiB or more starts past the
     * first granule) the nearest HUGE_START granule below it.
     */
    private long headerOf(long address) {
        long base = Layout.segmentOf(address);
        while (mapper.map().get(base) == SegmentMap.HUGE_REST) {
            base -= Layout.SEGMENT_SIZE;
        }
        return base;
    }

    /**
     * The usable size of the live huge block starting at {@code address}, or -1 if it is not one.
     * One step under this lock: a free takes a block out of the live table under it before it
     * unmaps, so the header read here is of a mapping no racing free (an application's double
     * free) can have unmapped. Checked under the lock and read after it, the winner of two such
     * frees could unmap the block in between: a SIGSEGV.
     */
    public long liveUsableSize(long address) {
        long base = headerOf(address);
        synchronized (this) {
            if (live.get(base) != address) {
                return -1;
            }
            if (liveChecked != null) {
                liveChecked.accept(address);
            }
            return Memory.getLong(base + Layout.HUGE_USABLE);
        }
    }

    /** Frees a live huge block; false if it is not one (already freed, or not a block start). */
    public boolean free(long address) {
        long base = headerOf(address);
        // Of two racing frees exactly one removes it, and only that one reads the header.
        synchronized (this) {
            if (!live.remove(base, address)) {
                return false;
            }
        }
        liveSurplus.addAndGet(-Memory.getLong(base + Layout.HUGE_SURPLUS));
        liveBytes.addAndGet(-Memory.getLong(base + Layout.HUGE_USABLE));
        liveBlocks.decrementAndGet();
        if (address - base != Layout.HUGE_HEADER_SIZE || !cache(base)) {
            unmapOrKeepPending(base);
        }
        return true;
    }

    /**
     * Grows a live huge block to at least {@code newSize} bytes without copying: into its reserved
     * tail when that is enough, else by moving its pages to a new, larger aligned reservation.
     */
    public long grow(long address, long newSize) {
        checkSize(newSize);
        long base = headerOf(address);
        long offset = Memory.getLong(base + Layout.HUGE_BLOCK_OFFSET);
        long length = Memory.getLong(base + Layout.MAPPING_LENGTH);
        long usable = Memory.getLong(base + Layout.HUGE_USABLE);
        long committed = Memory.getLong(base + Layout.HUGE_COMMITTED);
        long newAccessible = roundUp(offset + newSize, Syscalls.PAGE_SIZE);
        if (newAccessible <= offset + usable) {
            return address;
        }
        long counted = Memory.getLong(base + Layout.HUGE_SURPLUS); // read here: after a move the old header is gone
        long newBase = base;
        if (newAccessible <= committed) {
            // already readable and writable (a reused mapping): nothing to ask the kernel
        } else if (newAccessible <= length) {
            mapper.commit(base + committed, newAccessible - committed);
            committed = newAccessible;
        } else {
            long newLength = roundUp(newAccessible, Layout.SEGMENT_SIZE);
            long alignment = Math.max(Layout.SEGMENT_SIZE, Long.highestOneBit(offset));
            // Unlisted while its pages move: from the mremap on, the old base is a hole, and a walk
            // of the live mappings (sumOverMappings: residentBytes()) would read its header there.
            synchronized (this) {
                live.remove(base, address);
            }
            try {
                // Moves the page tables, not the bytes; the grown part reads as zero. If it throws,
                // the block is where it was, unchanged, and listed again.
                newBase = mapper.move(base, length, committed, newLength, newAccessible, alignment,
                        SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    live.put(base, address);
                }
                throw e;
            }
            committed = newAccessible;
            Memory.putLong(newBase + Layout.MAPPING_LENGTH, newLength);
        }
        // The counted surplus shrinks as the block grows into it (to none past it: committed = newAccessible).
        long stillCounted = Math.min(counted, committed - newAccessible);
        liveSurplus.addAndGet(stillCounted - counted);
        Memory.putLong(newBase + Layout.HUGE_SURPLUS, stillCounted);
        liveBytes.addAndGet(newAccessible - offset - usable);
        Memory.putLong(newBase + Layout.HUGE_USABLE, newAccessible - offset);
        Memory.putLong(newBase + Layout.HUGE_COMMITTED, committed);
        if (newBase != base) {
            synchronized (this) { // listed at its new base once its header says what it is
                live.put(newBase, newBase + offset);
            }
        }
        return newBase + offset;
    }

    /**
     * Calls {@code action(base, committed)} for every live, cached and pending mapping; returns the
     * sum of the results. The list and each mapping's committed length are read under this lock,
     * the actions run after it is released: a reading of resident pages ({@code mincore} over
     * every mapping: 23 ms per reading with 32 GiB mapped) held it throughout, and stalled huge
     * allocations and frees meanwhile (45 ms). So a mapping may be freed, even unmapped, before
     * its action runs: an action must not read it (mincore does not).
     */
    public long sumOverMappings(LongBinaryOperator action) {
        long[] ranges = mappingRanges();
        long sum = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            sum += action.applyAsLong(ranges[i], ranges[i + 1]);
        }
        return sum;
    }

    /** Base and committed length of every live, cached and pending mapping, in pairs, as they are now. */
    private synchronized long[] mappingRanges() {
        long[] ranges = new long[2 * (live.size() + cached + pending)];
        int[] at = {0};
        live.forEachBase(base -> {
            ranges[at[0]++] = base;
            ranges[at[0]++] = Memory.getLong(base + Layout.HUGE_COMMITTED);
        });
        for (int i = 0; i < cached; i++) {
            ranges[at[0]++] = cachedBase[i];
            ranges[at[0]++] = Memory.getLong(cachedBase[i] + Layout.HUGE_COMMITTED);
        }
        for (int i = 0; i < pending; i++) {
            ranges[at[0]++] = unmapPending[i];
            ranges[at[0]++] = Memory.getLong(unmapPending[i] + Layout.HUGE_COMMITTED);
        }
        return ranges;
    }

    /** Unmaps every live, cached and pending mapping (instance close). */
    public synchronized void close() {
        // Each mapping whatever an earlier munmap threw (one that fails stays mapped: a failed
        // munmap unmaps nothing); the first failure is thrown at the end.
        Throwable[] failure = {retryPendingUnmaps()};
        LongConsumer unmap = base -> {
            try {
                unmapMapping(base);
            } catch (RuntimeException | Error e) {
                failure[0] = Failures.add(failure[0], e);
            }
        };
        for (int i = 0; i < cached; i++) {
            unmap.accept(cachedBase[i]);
        }
        cached = 0;
        live.forEachBase(unmap);
        live.clear();
        Failures.rethrow(failure[0]);
    }

    public long liveBytes() {
        return liveBytes.get();
    }

    public long liveBlocks() {
        return liveBlocks.get();
    }

    public long allocations() {
        return allocations.get();
    }
}
