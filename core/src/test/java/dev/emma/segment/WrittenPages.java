package dev.emma.segment;

import dev.emma.memory.Memory;
import dev.emma.page.Page;
import dev.emma.page.PageKind;

import java.util.ArrayList;
import java.util.List;

/** Tests of the pool's purge: medium pages taken and written to their end, so that once given back they are free and resident. */
final class WrittenPages {
    private WrittenPages() {
    }

    /** Takes {@code count} medium pages and writes all of each; the pool will record them as dirty. */
    static List<Long> take(SegmentPool pool, int count) {
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long page = pool.takePage(PageKind.MEDIUM);
            long start = Page.areaStart(page);
            long end = SegmentPool.areaEnd(page);
            Memory.fill(start, end - start, (byte) 1);
            Memory.putLong(page + Page.BUMP, end); // carved to its end: the pool records it as dirty
            pages.add(page);
        }
        return pages;
    }
}
