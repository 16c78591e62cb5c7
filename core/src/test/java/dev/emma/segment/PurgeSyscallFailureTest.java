package dev.emma.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.memory.Memory;
import dev.emma.os.SyscallException;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.segment.FailingKernel.Call;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A purge whose syscall fails ({@link SegmentPool#purge}): the pages of the failed round go back to
 * the pool (the ones returned clean, the rest as they were), the segment whose retire failed goes
 * back usable, written again where the kernel zeroed it and taken as dirty, and both locks are
 * released, so the next purge returns what this one could not; a range whose syscall keeps failing
 * holds the others up for one purge delay, not for good. Before, a failed retire dropped its
 * segment (still mapped and counted, never unmapped), and the same failing page came first in
 * every purge. And close() unmaps everything though those syscalls fail.
 */
class PurgeSyscallFailureTest {
    @Test
    void aMadviseFailingMidRoundPutsEveryPageOfTheRoundBack() {
        FailingKernel kernel = new FailingKernel();
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        SegmentPool pool = new SegmentPool(mapper);
        List<Long> held = new ArrayList<>();
        List<Long> freed = dirtyFreePages(pool, 2 * 16, held); // two segments of medium pages, all dirty
        int free = pool.checkedFreePages();
        long mapped = mapper.mappedBytes();

        kernel.fail(Call.MADVISE, FailingKernel.EINVAL, 3, 1); // the 4th of the first round's 16
        SyscallException e = assertThrows(SyscallException.class, () -> pool.purge(System.nanoTime(), 0));
        assertTrue(e.getMessage().contains("madvise"), e.getMessage());

        assertEquals(3, kernel.madvised().size());
        assertEquals(free, pool.checkedFreePages(), "every page of the failed round is back in the pool");
        // Handed out again, all of them and no other: the three returned clean, the rest as they were.
        Set<Long> taken = new HashSet<>();
        int clean = 0;
        for (int i = 0; i < free; i++) {
            long page = pool.takePage(PageKind.MEDIUM);
            taken.add(page);
            clean += Memory.getLong(page + Page.DIRTY_END) == Page.areaStart(page) ? 1 : 0;
        }
        assertEquals(new HashSet<>(freed), taken);
        assertEquals(3, clean, "the pages whose memory went back are clean, the others still dirty");
        assertEquals(mapped, mapper.mappedBytes(), "no segment mapped to hand them out");
        assertEquals(0, pool.checkedFreePages());
        release(pool, taken);
        pool.close();
        assertEquals(0, kernel.netMapped(), "nothing left mapped after close");
    }

    @Test
    void theNextPurgeReturnsWhatAFailedOneCouldNot() {
        FailingKernel kernel = new FailingKernel();
        SegmentPool pool = new SegmentPool(FailingKernel.mapper(kernel, 0));
        List<Long> held = new ArrayList<>();
        List<Long> freed = dirtyFreePages(pool, 2 * 16, held);
        int free = pool.checkedFreePages();

        kernel.fail(Call.MADVISE, FailingKernel.ENOMEM, 5, 1);
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> pool.purge(System.nanoTime(), 0));
        assertTrue(e.getMessage().contains("ENOMEM"), e.getMessage());
        assertEquals(5, kernel.madvised().size());
        pool.purge(System.nanoTime(), 0); // the syscall works again

        Set<Long> areas = new HashSet<>();
        for (long page : freed) {
            areas.add(Page.areaStart(page));
        }
        assertEquals(areas, new HashSet<>(kernel.madvised()), "each freed page's memory went back once");
        assertEquals(freed.size(), kernel.madvised().size());
        assertEquals(free, pool.checkedFreePages());
        for (int i = 0; i < free; i++) {
            long page = pool.takePage(PageKind.MEDIUM);
            assertEquals(Page.areaStart(page), Memory.getLong(page + Page.DIRTY_END), "clean");
        }
        pool.close();
    }

    @Test
    void aSegmentWhoseRetireFailedStaysUsableAndIsRetiredLater() {
        FailingKernel kernel = new FailingKernel();
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        SegmentPool pool = new SegmentPool(mapper);
        long page = pool.takePage(PageKind.LARGE);
        long base = Layout.segmentOf(page);
        Memory.fill(Page.areaStart(page), 4096, (byte) 1);
        pool.releasePage(page);

        kernel.fail(Call.MADVISE, FailingKernel.EINVAL, 0, 1); // the retire's
        assertThrows(SyscallException.class, () -> pool.purge(System.nanoTime(), 0));

        assertEquals(1, pool.segmentCount(), "the segment is still in the pool");
        assertEquals(Layout.SEGMENT_SIZE, mapper.mappedBytes(), "and still counted as mapped");
        assertEquals(1, pool.checkedFreePages(), "registered, not retiring, listed free");
        long again = pool.takePage(PageKind.LARGE);
        assertEquals(page, again, "handed out again, no new mapping");
        assertEquals(Layout.SEGMENT_SIZE, mapper.mappedBytes());
        assertEquals(1, Memory.getByte(Page.areaStart(again)), "its memory is as it was");
        pool.releasePage(again);

        pool.purge(System.nanoTime(), 0); // works now: retired
        assertEquals(0, pool.segmentCount());
        assertEquals(0, mapper.mappedBytes());
        assertEquals(SegmentMap.NONE, mapper.map().get(base));
        assertEquals(0, pool.checkedFreePages());
        long reused = pool.takePage(PageKind.LARGE);
        assertEquals(base, Layout.segmentOf(reused), "its addresses are reused");
        assertEquals(0, Memory.getByte(Page.areaStart(reused)), "its memory went back: zero");
        pool.close();
        assertEquals(0, kernel.netMapped(), "nothing left mapped after close");
    }

    @Test
    void aRetireThatFailedPartWayIsWrittenAgainAndItsPagesTakenAsDirty() {
        FailingKernel kernel = new FailingKernel();
        SegmentPool pool = new SegmentPool(FailingKernel.mapper(kernel, 0));
        long first = pool.takePage(PageKind.LARGE); // segment 0, held
        long page = pool.takePage(PageKind.LARGE);  // segment 1: its id is not what zeros read
        long area = Page.areaStart(page);
        Memory.fill(area, 4096, (byte) 1);
        pool.releasePage(page);

        // The kernel returns the header (and the page records in it), then stops: the area keeps its bytes.
        kernel.fail(Call.MADVISE, FailingKernel.EINVAL, 0, 1).zeroingFirst(area - Layout.segmentOf(page));
        assertThrows(SyscallException.class, () -> pool.purge(System.nanoTime(), 0));

        assertEquals(1, pool.checkedFreePages(), "back in the pool with its header");
        long again = pool.takePage(PageKind.LARGE);
        assertEquals(page, again);
        assertEquals(1, Memory.getByte(area), "the kernel left the area as it was");
        assertEquals(SegmentPool.areaEnd(again), Memory.getLong(again + Page.DIRTY_END),
                "so none of it passes as fresh (zero) memory");
        pool.releasePage(again); // reads the segment id from the header
        assertEquals(1, pool.checkedFreePages());
        pool.releasePage(first);
        assertEquals(2, pool.checkedFreePages());
        pool.close();
        assertEquals(0, kernel.netMapped());
    }

    @Test
    void aPageWhoseMadviseKeepsFailingHoldsUpTheOthersForOnePurgeDelayOnly() throws Exception {
        FailingKernel kernel = new FailingKernel();
        SegmentPool pool = new SegmentPool(FailingKernel.mapper(kernel, 0));
        List<Long> held = new ArrayList<>();
        List<Long> freed = dirtyFreePages(pool, 2 * 16, held);
        long first = Layout.segmentOf(held.get(0)); // a purge walks segments, then pages, in order
        long stuck = Long.MAX_VALUE;                 // so the first page it chooses is the lowest of the first segment
        for (long page : freed) {
            if (Layout.segmentOf(page) == first) {
                stuck = Math.min(stuck, Page.areaStart(page));
            }
        }
        kernel.failingMadviseAt(stuck);
        long delay = TimeUnit.MILLISECONDS.toNanos(200);
        Thread.sleep(250);

        assertThrows(SyscallException.class, () -> pool.purge(System.nanoTime(), delay));
        assertEquals(0, kernel.madvised().size(), "the failing page came first");
        pool.purge(System.nanoTime(), delay); // the failing page waits a purge delay; the others go
        assertEquals(freed.size() - 1, kernel.madvised().size());
        assertFalse(kernel.madvised().contains(stuck));
        assertEquals(freed.size(), pool.checkedFreePages());
        pool.close();
    }

    @Test
    void aFailedPurgeReleasesBothLocks() throws Exception {
        FailingKernel kernel = new FailingKernel();
        SegmentPool pool = new SegmentPool(FailingKernel.mapper(kernel, 0));
        List<Long> held = new ArrayList<>();
        dirtyFreePages(pool, 16, held);
        kernel.fail(Call.MADVISE, FailingKernel.EINVAL, 1, 1);

        assertThrows(SyscallException.class, () -> pool.purge(System.nanoTime(), 0));
        // Another thread purges (the purging lock, then the pool's) and takes a page (the pool's).
        Thread other = Thread.ofPlatform().daemon(true).start(() -> {
            pool.purge(System.nanoTime(), 0);
            pool.takePage(PageKind.MEDIUM);
        });
        other.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(other.isAlive(), "the other thread is blocked: a lock was kept");
        assertEquals(15, kernel.madvised().size(), "its purge returned the rest");
        pool.close();
    }

    @Test
    void closeUnmapsEverythingThoughMadviseAndRetireFail() {
        FailingKernel kernel = new FailingKernel();
        Mapper mapper = FailingKernel.mapper(kernel, 0);
        SegmentPool pool = new SegmentPool(mapper);
        List<Long> held = new ArrayList<>();
        dirtyFreePages(pool, 2 * 16, held);             // dirty free pages in two segments
        pool.releasePage(pool.takePage(PageKind.LARGE)); // and a wholly free segment
        kernel.fail(Call.MADVISE, FailingKernel.EINVAL, 0, Integer.MAX_VALUE); // purges and retires

        pool.close();
        assertEquals(0, kernel.netMapped(), "every segment unmapped");
        assertEquals(0, mapper.mappedBytes());
    }

    /**
     * Takes {@code count} medium pages, writes all of each, and gives them back, except the first of
     * each segment (into {@code held}: so a purge madvises pages, not a whole free segment). Returns
     * the pages given back, free and resident.
     */
    private static List<Long> dirtyFreePages(SegmentPool pool, int count, List<Long> held) {
        Set<Long> segments = new HashSet<>();
        List<Long> freed = new ArrayList<>();
        for (long page : WrittenPages.take(pool, count)) {
            if (segments.add(Layout.segmentOf(page))) {
                held.add(page);
            } else {
                pool.releasePage(page);
                freed.add(page);
            }
        }
        return freed;
    }

    private static void release(SegmentPool pool, Iterable<Long> pages) {
        for (long page : pages) {
            Memory.putLong(page + Page.BUMP, Page.areaStart(page));
            pool.releasePage(page);
        }
    }
}
