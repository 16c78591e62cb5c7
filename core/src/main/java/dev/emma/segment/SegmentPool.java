package dev.emma.segment;

import dev.emma.memory.Memory;
import dev.emma.os.Failures;
import dev.emma.page.Page;
import dev.emma.page.PageKind;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongBinaryOperator;

/**
 * The free pages of an instance, and the segments that hold them. Heaps take a page when they need
 * one and give it back when it is empty; the purger returns pages that stayed free for the purge
 * delay to the OS ({@code madvise}) and gives back segments that stayed wholly free.
 *
 * <p>A wholly free segment is retired, not unmapped: its memory goes back to the OS but its
 * addresses stay reserved until the instance closes, and the next new segment reuses them. A free
 * reads the ownership map and then the segment without a lock, and an invalid free (a double free
 * racing {@code trim()}) or a valid one that emptied a page cannot tell when it is done; the segment
 * must therefore stay readable for as long as any thread may act on a map entry read before the
 * segment was unregistered, which no grace period bounds (a thread can stall anywhere). The
 * reserved address space is bounded by the peak number of segments, and costs no memory.
 *
 * <p>All methods hold this pool's lock (they run once per page, never per block), except the
 * syscalls of {@link #purge}, made outside it.
 */
public final class SegmentPool {
    private final Mapper mapper;
    private final List<Segment> byId = new ArrayList<>();
    private final List<List<Segment>> withFreePages = new ArrayList<>();
    private final List<List<Segment>> withDirtyFreePages = new ArrayList<>(); // a subset: free pages still resident
    // Bases of segments given back to the OS whose addresses stay reserved (Mapper#retire): never
    // unmapped before close, because a free may still be reading them; reused before new ones.
    private long[] retired = new long[8];
    private int retiredCount;
    private final Object purging = new Object(); // held for a whole purge(), syscalls included

    public SegmentPool(Mapper mapper) {
        this.mapper = mapper;
        for (int i = 0; i < PageKind.values().length; i++) {
            withFreePages.add(new ArrayList<>());
            withDirtyFreePages.add(new ArrayList<>());
        }
    }

    /** One segment's bookkeeping; its pages' metadata lives in the segment header. */
    private static final class Segment {
        final long base;
        final int id;
        final PageKind kind;
        final long headerSize;
        final int firstPage;
        final long shortPage; // the mask of the page cut short by the header, or 0
        final int pageCount;
        long freeMask;      // pages in the pool
        long dirtyMask;     // pool pages that may hold resident, non-zero memory
        final long[] freedAt;
        long emptySince;    // nanoTime when the last page came back, or -1
        boolean retiring;   // chosen by a purge to be retired: out of the free lists, keeps its slot

        Segment(long base, int id, PageKind kind) {
            this.base = base;
            this.id = id;
            this.kind = kind;
            this.headerSize = Layout.headerSize(kind);
            this.firstPage = (int) (headerSize >>> kind.shift); // pages wholly inside the header
            this.shortPage = headerSize % kind.pageSize != 0 ? 1L << firstPage : 0; // starts after the header
            this.pageCount = (int) (Layout.SEGMENT_SIZE >>> kind.shift);
            this.freedAt = new long[pageCount];
            long all = pageCount == 64 ? -1L : (1L << pageCount) - 1;
            this.freeMask = all & ~((1L << firstPage) - 1);
            this.emptySince = System.nanoTime();
        }

        /**
         * The page to hand out of {@code candidates} (a non-empty mask of free pages): the lowest
         * whole one, and the short page after the header only when no whole one is left, so that a
         * class's first pages hold as many blocks as its later ones.
         */
        int preferred(long candidates) {
            long whole = candidates & ~shortPage;
            return Long.numberOfTrailingZeros(whole != 0 ? whole : candidates);
        }

        boolean empty() {
            return Long.bitCount(freeMask) == pageCount - firstPage;
        }

        boolean hasDirtyFreePage() {
            return (freeMask & dirtyMask) != 0;
        }

        long areaStart(int page) {
            return base + Math.max((long) page << kind.shift, headerSize);
        }

        long areaEnd(int page) {
            return base + ((long) (page + 1) << kind.shift);
        }
    }

    /**
     * Takes a free page of {@code kind}, mapping a new segment if none is free. The page record's
     * geometry fields (area, capacity 0, bump, dirty end) are set; the caller sets the class.
     */
    public synchronized long takePage(PageKind kind) {
        // A page still resident first, from any segment (the most recently freed): reusing it costs
        // no page faults and no new resident memory, while resident free pages wait to be purged.
        List<Segment> dirty = withDirtyFreePages.get(kind.ordinal());
        List<Segment> candidates = withFreePages.get(kind.ordinal());
        Segment segment = !dirty.isEmpty() ? dirty.get(dirty.size() - 1)
                : candidates.isEmpty() ? newSegment(kind) : candidates.get(candidates.size() - 1);
        long pick = segment.freeMask & segment.dirtyMask;
        int index = segment.preferred(pick != 0 ? pick : segment.freeMask);
        boolean hadDirty = segment.hasDirtyFreePage();
        segment.freeMask &= ~(1L << index);
        segment.emptySince = -1;
        if (segment.freeMask == 0) {
            candidates.remove(segment);
        }
        long page = Layout.pageRecord(segment.base, index);
        long start = segment.areaStart(index);
        Memory.putLong(page + Page.AREA_START, start);
        Memory.putLong(page + Page.BUMP, start);
        if ((segment.dirtyMask & (1L << index)) == 0) {
            Memory.putLong(page + Page.DIRTY_END, start);
        }
        segment.dirtyMask &= ~(1L << index);
        dirtyListUpdate(segment, hadDirty);
        return page;
    }

    /**
     * Page {@code index} of {@code segment} is free again ({@code dirty}: its memory may still be
     * resident): its bit goes into the free mask, and the segment into the lists it now belongs to.
     */
    private void backInThePool(Segment segment, int index, boolean dirty) {
        if (segment.freeMask == 0) {
            withFreePages.get(segment.kind.ordinal()).add(segment);
        }
        boolean hadDirty = segment.hasDirtyFreePage();
        segment.freeMask |= 1L << index;
        if (dirty) {
            segment.dirtyMask |= 1L << index;
        } else {
            segment.dirtyMask &= ~(1L << index);
        }
        dirtyListUpdate(segment, hadDirty);
    }

    /** Keeps {@link #withDirtyFreePages} right after a change to a segment's masks. */
    private void dirtyListUpdate(Segment segment, boolean hadDirty) {
        boolean hasDirty = segment.hasDirtyFreePage();
        if (hasDirty && !hadDirty) {
            withDirtyFreePages.get(segment.kind.ordinal()).add(segment);
        } else if (!hasDirty && hadDirty) {
            withDirtyFreePages.get(segment.kind.ordinal()).remove(segment);
        }
    }

    /** The end of a page's block area. */
    public static long areaEnd(long page) {
        long base = Layout.segmentOf(page);
        int kind = Memory.getInt(base + Layout.PAGE_KIND);
        return base + ((long) (Layout.pageIndex(page) + 1) << PageKind.of(kind).shift);
    }

    /** Returns an empty page (no live block, bitmaps all zero) to the pool. */
    public synchronized void releasePage(long page) {
        long base = Layout.segmentOf(page);
        Segment segment = byId.get(Memory.getInt(base + Layout.SEGMENT_ID));
        int index = Layout.pageIndex(page);
        long bump = Memory.getLong(page + Page.BUMP);
        if (bump > Memory.getLong(page + Page.DIRTY_END)) {
            Memory.putLong(page + Page.DIRTY_END, bump);
        }
        Memory.putInt(page + Page.STATE, Page.FREE);
        Memory.putInt(page + Page.CAPACITY, 0); // so no address of a FREE page passes as a block
        Memory.putInt(page + Page.OWNER, 0);
        Memory.putLong(page + Page.REMOTE, 0);
        backInThePool(segment, index, true);
        segment.freedAt[index] = System.nanoTime();
        if (segment.empty()) {
            segment.emptySince = System.nanoTime();
        }
    }

    /**
     * Returns to the OS the free pages that stayed free for {@code delayNanos}, and the segments that
     * stayed wholly free that long (retired: see the class comment). The syscalls run outside this
     * pool's lock, a few pages at a time: under it a round's pages and segments are taken out of the
     * pool (no thread can take or release them meanwhile), and put back, clean, once their memory is
     * returned. Holding the lock across the syscalls made every thread that needed a page wait for
     * the whole purge, and for the purger to be scheduled again when it was preempted holding it
     * (ThreadChurn, 16 threads on 2 cores, purge delay 50 ms: 254-631 threads/s against 396-759
     * with the syscalls outside); taking every page out at once would make a thread that needs one
     * meanwhile map a new segment.
     */
    public void purge(long now, long delayNanos) {
        // One purge at a time (the purger, trim() and close() may overlap): a purge that returns
        // has returned everything that qualified, none of it still in another purge's hands.
        // Taken before this pool's lock, never inside it.
        synchronized (purging) {
            for (PurgeRound round; !(round = choose(now, delayNanos)).isEmpty(); ) {
                try {
                    for (; round.purged < round.pages; round.purged++) {
                        mapper.purge(round.start[round.purged], round.length[round.purged]);
                    }
                    for (; round.retiredSegments < round.segments; round.retiredSegments++) {
                        mapper.retire(round.retire[round.retiredSegments].base, Layout.SEGMENT_SIZE);
                    }
                } finally {
                    putBack(round); // after a failed syscall the rest go back as they were
                }
            }
        }
    }

    /** Pages one round of a purge takes out of the pool at most (its syscalls run outside the lock). */
    private static final int PAGES_PER_ROUND = 16;

    /** What one round of a purge returns to the OS, chosen under the lock and done outside it. */
    private static final class PurgeRound {
        final Segment[] segmentOf = new Segment[PAGES_PER_ROUND];
        final int[] index = new int[PAGES_PER_ROUND];
        final long[] start = new long[PAGES_PER_ROUND];
        final long[] length = new long[PAGES_PER_ROUND];
        int pages;
        Segment[] retire = new Segment[4];
        int segments;
        int purged;          // pages whose memory was returned (the first ones)
        int retiredSegments; // segments retired (the first ones)

        boolean isEmpty() {
            return pages == 0 && segments == 0;
        }

        boolean full() {
            return pages == PAGES_PER_ROUND;
        }

        void addPage(Segment s, int i, long from, long bytes) {
            segmentOf[pages] = s;
            index[pages] = i;
            start[pages] = from;
            length[pages] = bytes;
            pages++;
        }

        void addSegment(Segment s) {
            if (segments == retire.length) {
                retire = java.util.Arrays.copyOf(retire, 2 * segments);
            }
            retire[segments++] = s;
        }
    }

    /**
     * Takes out of the pool one round's pages and segments: the pages leave the free mask (so their
     * segment is not empty() and cannot be chosen for retirement meanwhile), the segments leave
     * the free lists (an empty segment has no page anyone holds, so nothing else reaches it) but
     * keep their slot until {@link #putBack}.
     */
    private synchronized PurgeRound choose(long now, long delayNanos) {
        PurgeRound round = new PurgeRound();
        for (int id = 0; id < byId.size() && !round.full(); id++) {
            Segment s = byId.get(id);
            if (s == null || s.retiring) {
                continue;
            }
            if (s.empty() && s.emptySince >= 0 && now - s.emptySince >= delayNanos) {
                unlist(s);
                s.retiring = true;
                round.addSegment(s);
                continue;
            }
            long dirty = s.freeMask & s.dirtyMask;
            boolean hadDirty = dirty != 0;
            boolean hadFree = s.freeMask != 0;
            while (dirty != 0 && !round.full()) {
                int index = Long.numberOfTrailingZeros(dirty);
                dirty &= dirty - 1;
                if (now - s.freedAt[index] >= delayNanos) {
                    long page = Layout.pageRecord(s.base, index);
                    long start = s.areaStart(index);
                    long end = Math.min(Memory.getLong(page + Page.DIRTY_END), s.areaEnd(index));
                    s.freeMask &= ~(1L << index); // out of the pool until putBack
                    round.addPage(s, index, start, (end - start + 4095) & ~4095L);
                }
            }
            if (hadFree && s.freeMask == 0) {
                withFreePages.get(s.kind.ordinal()).remove(s);
            }
            dirtyListUpdate(s, hadDirty);
        }
        return round;
    }

    /**
     * Puts a round's pages back in the pool (clean if their memory was returned), drops its retired
     * segments (their addresses kept for the next new segment), and puts back the segments a failed
     * syscall left unretired. The page or segment whose syscall threw goes back as if it had just
     * come free: a syscall that keeps failing on it (pages the application locked) then holds up
     * the purges of the others for one purge delay at a time, not for good.
     */
    private synchronized void putBack(PurgeRound round) {
        long now = System.nanoTime();
        for (int i = 0; i < round.pages; i++) {
            Segment s = round.segmentOf[i];
            int index = round.index[i];
            boolean clean = i < round.purged;
            if (clean) {
                Memory.putLong(Layout.pageRecord(s.base, index) + Page.DIRTY_END, round.start[i]);
            }
            backInThePool(s, index, !clean);
            if (i == round.purged) {
                s.freedAt[index] = now; // its madvise threw
            }
            // A segment wholly free before the purge keeps the time it became so; takePage() makes
            // it -1 whenever it hands out a page, and releasePage() cannot see it empty meanwhile.
            if (s.empty() && s.emptySince < 0) {
                s.emptySince = now;
            }
        }
        boolean allPurged = round.purged == round.pages;
        for (int i = 0; i < round.segments; i++) {
            Segment s = round.retire[i];
            if (i < round.retiredSegments) {
                byId.set(s.id, null);
                keepRetired(s.base);
                continue;
            }
            if (allPurged && i == round.retiredSegments) { // its madvise threw
                afterAFailedRetire(s);
                s.emptySince = now;
            }
            s.retiring = false;
            list(s);
        }
    }

    /**
     * A segment whose retire failed is still mapped but unregistered, and the kernel may have zeroed
     * a part of it, its header and page records included: written again, every page taken as dirty
     * to its end (a record zeroed over memory that was not would call that memory fresh, and
     * allocateZeroed would hand it out unzeroed), then registered again.
     */
    private void afterAFailedRetire(Segment s) {
        writeHeader(s);
        for (long pages = s.freeMask; pages != 0; pages &= pages - 1) {
            int index = Long.numberOfTrailingZeros(pages);
            Memory.putLong(Layout.pageRecord(s.base, index) + Page.DIRTY_END, s.areaEnd(index));
        }
        s.dirtyMask |= s.freeMask;
        mapper.register(s.base, Layout.SEGMENT_SIZE, (byte) s.kind.shift, SegmentMap.NONE);
    }

    /**
     * Retires every wholly free segment now, whatever the purge delay: the maxMappedBytes cap was
     * reached ({@link Mapper#onCapReached}), and such a segment counts as mapped while no block is
     * in it. As a purge retires one, but under this lock (the cap's failure path only, so the
     * madvise stalls nobody on a common path) and without the purge lock, which is taken before
     * this one, never inside it. A purge in progress never holds such a segment: the segments it
     * retires are {@code retiring}, and those whose pages it holds are not empty. One whose
     * madvise fails stays in the pool, as after a failed purge; the first failure is thrown.
     */
    public synchronized void retireEmptySegments() {
        Throwable failure = null;
        for (int id = 0; id < byId.size(); id++) {
            Segment s = byId.get(id);
            if (s == null || s.retiring || !s.empty()) {
                continue;
            }
            unlist(s);
            try {
                mapper.retire(s.base, Layout.SEGMENT_SIZE);
            } catch (RuntimeException | Error e) {
                afterAFailedRetire(s);
                s.emptySince = System.nanoTime();
                list(s);
                failure = Failures.add(failure, e);
                continue;
            }
            byId.set(id, null);
            keepRetired(s.base);
        }
        Failures.rethrow(failure);
    }

    /** Puts a segment with free pages back in its kind's lists (and the dirty one if a free page is dirty). */
    private void list(Segment s) {
        withFreePages.get(s.kind.ordinal()).add(s);
        if (s.hasDirtyFreePage()) {
            withDirtyFreePages.get(s.kind.ordinal()).add(s);
        }
    }

    /** Takes a segment out of its kind's lists: it is being purged or retired. */
    private void unlist(Segment s) {
        withFreePages.get(s.kind.ordinal()).remove(s);
        withDirtyFreePages.get(s.kind.ordinal()).remove(s);
    }

    /** Lists a retired segment's base, its addresses kept for the next new segment. */
    private void keepRetired(long base) {
        if (retiredCount == retired.length) {
            retired = java.util.Arrays.copyOf(retired, 2 * retiredCount);
        }
        retired[retiredCount++] = base;
    }

    public synchronized int segmentCount() {
        int n = 0;
        for (Segment s : byId) {
            if (s != null) n++;
        }
        return n;
    }

    /**
     * Calls {@code action(base, length)} for every mapped segment; returns the sum of the results.
     * The segments are listed under this pool's lock and the actions run after it is released (a
     * reading of resident pages, mincore over every segment, held it throughout, stalling every
     * page refill and release meanwhile). A segment stays mapped until close(), so an action may
     * read its header.
     */
    public long sumOverSegments(LongBinaryOperator action) {
        long sum = 0;
        for (long base : segmentBases()) {
            sum += action.applyAsLong(base, Layout.SEGMENT_SIZE);
        }
        return sum;
    }

    private synchronized long[] segmentBases() {
        int n = 0;
        for (Segment s : byId) {
            if (s != null) n++;
        }
        long[] bases = new long[n];
        n = 0;
        for (Segment s : byId) {
            if (s != null) bases[n++] = s.base;
        }
        return bases;
    }

    /**
     * Unmaps everything (instance close). No purge first: it would return memory about to be
     * unmapped, and a syscall of it that failed would stop the close before anything was unmapped.
     */
    public void close() {
        Throwable failure = null; // the first failure, the later ones suppressed in it
        synchronized (purging) { // the purge lock before this pool's, as in purge()
            synchronized (this) {
                // Every segment is tried, whatever an earlier munmap threw: one that fails stays
                // mapped (a failed munmap unmaps nothing), the others must not stay with it.
                for (int id = 0; id < byId.size(); id++) {
                    Segment s = byId.get(id);
                    if (s != null) {
                        byId.set(id, null);
                        try {
                            mapper.unmap(s.base, Layout.SEGMENT_SIZE);
                        } catch (RuntimeException | Error e) {
                            failure = Failures.add(failure, e);
                        }
                    }
                }
                while (retiredCount > 0) {
                    try {
                        mapper.unmapRetired(retired[--retiredCount], Layout.SEGMENT_SIZE);
                    } catch (RuntimeException | Error e) {
                        failure = Failures.add(failure, e);
                    }
                }
            }
        }
        Failures.rethrow(failure);
    }

    private Segment newSegment(PageKind kind) {
        long base;
        if (retiredCount > 0) { // reserved addresses first: their bytes read as zero, like a new mapping's
            // Taken off the list before the revive: its cap relief may retire segments (listed at the end).
            base = retired[--retiredCount];
            try {
                mapper.revive(base, Layout.SEGMENT_SIZE, (byte) kind.shift, SegmentMap.NONE);
            } catch (RuntimeException | Error e) {
                keepRetired(base); // revive threw before it registered it: still retired
                throw e;
            }
        } else {
            base = mapper.mapAligned(Layout.SEGMENT_SIZE, Layout.SEGMENT_SIZE, (byte) kind.shift, SegmentMap.NONE);
        }
        int id = byId.indexOf(null);
        if (id < 0) {
            id = byId.size();
            byId.add(null);
        }
        Segment segment = new Segment(base, id, kind);
        byId.set(id, segment);
        writeHeader(segment);
        withFreePages.get(kind.ordinal()).add(segment);
        return segment;
    }

    /** The segment's header fields (the records of free pages are right when zero, if their memory is zero too). */
    private static void writeHeader(Segment s) {
        Memory.putInt(s.base + Layout.PAGE_KIND, s.kind.ordinal());
        Memory.putInt(s.base + Layout.SEGMENT_ID, s.id);
        Memory.putLong(s.base + Layout.MAPPING_LENGTH, Layout.SEGMENT_SIZE);
    }

    /**
     * Tests, outside a purge: checks every segment's masks against the free lists and the ownership
     * map, and answers the number of pages in the pool.
     */
    synchronized int checkedFreePages() {
        int pages = 0;
        for (int id = 0; id < byId.size(); id++) {
            Segment s = byId.get(id);
            if (s == null) {
                continue;
            }
            int kind = s.kind.ordinal();
            check(s.id == id && !s.retiring, s, "has a wrong id or is still retiring");
            check(Memory.getInt(s.base + Layout.SEGMENT_ID) == id
                    && Memory.getInt(s.base + Layout.PAGE_KIND) == kind, s, "has a wrong header");
            check(mapper.map().get(s.base) == s.kind.shift, s, "is not registered");
            check((s.dirtyMask & ~s.freeMask) == 0, s, "has a dirty page out of the pool");
            check(((1L << s.firstPage) - 1 & s.freeMask) == 0, s, "has a header page in the pool");
            check(occurrences(withFreePages.get(kind), s) == (s.freeMask != 0 ? 1 : 0), s, "is wrongly listed free");
            check(occurrences(withDirtyFreePages.get(kind), s) == (s.hasDirtyFreePage() ? 1 : 0), s,
                    "is wrongly listed dirty");
            pages += Long.bitCount(s.freeMask);
        }
        for (int k = 0; k < withFreePages.size(); k++) {
            for (Segment s : withFreePages.get(k)) {
                check(byId.get(s.id) == s, s, "is listed but not in the pool");
            }
            for (Segment s : withDirtyFreePages.get(k)) {
                check(byId.get(s.id) == s, s, "is listed dirty but not in the pool");
            }
        }
        for (int i = 0; i < retiredCount; i++) {
            check(mapper.map().get(retired[i]) == SegmentMap.NONE, null, "retired 0x" + Long.toHexString(retired[i]) + " is registered");
        }
        return pages;
    }

    private static int occurrences(List<Segment> list, Segment s) {
        int n = 0;
        for (Segment t : list) {
            if (t == s) n++;
        }
        return n;
    }

    private static void check(boolean holds, Segment s, String what) {
        if (!holds) {
            throw new IllegalStateException((s == null ? "" : "segment " + s.id + " ") + what);
        }
    }
}
