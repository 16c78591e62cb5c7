package dev.emma.heap;

import dev.emma.memory.Memory;
import dev.emma.page.Page;
import dev.emma.page.SizeClasses;
import dev.emma.segment.Layout;

/**
 * Checks mode: the page invariant of {@link Page}, verified at every hand-over (collect, adopt,
 * retain, retake, detach) on what the owner sees without stopping other threads (the heap's
 * cached fields, or a retained page's record): the page is OWNED by the heap, {@code used + |free|
 * == carved}, every free-list block is a block start inside the carved area with its alloc bit
 * clear, the list has no cycle, and what the remote count says came back beyond the late counts
 * is part of {@code used}. Costs a walk of the free list per hand-over, which happens once per
 * page's worth of allocations.
 */
final class PageChecks {
    private PageChecks() {
    }

    /** The heap owns {@code p} as its page of class {@code c}; throws if the invariant is broken. */
    static void owned(Heap heap, int c, long p) {
        ownedBy(heap, p, c);
        check(c, p, heap.freeList(c), heap.bump(c), heap.used(c), heap.late(c));
    }

    /** The heap retains {@code p} (OWNED, its fields in its record, in no reuse queue); throws if the invariant is broken. */
    static void retained(Heap heap, int c, long p) {
        ownedBy(heap, p, c);
        if ((Memory.getInt(p + Page.FLAGS) & Page.QUEUED) != 0) {
            fail(c, p, "a retained page is in the reuse queue");
        }
        check(c, p, Memory.getLong(p + Page.FREE_LIST), Memory.getLong(p + Page.BUMP), Page.used(p), Page.late(p));
    }

    private static void ownedBy(Heap heap, long p, int c) {
        if (Page.state(p) != Page.OWNED || Page.owner(p) != heap.id || Page.sizeClass(p) != c) {
            fail(c, p, "state " + Page.state(p) + ", owner " + Page.owner(p) + ", class " + Page.sizeClass(p)
                    + ": not OWNED by heap " + heap.id);
        }
    }

    private static void check(int c, long p, long freeList, long bump, int used, int late) {
        int size = SizeClasses.blockSize(c);
        long area = Page.areaStart(p);
        long carved = (bump - area) / size;
        long bitmap = Layout.allocBitmap(p);
        long free = 0;
        for (long block = freeList; block != 0; block = Memory.getLong(block)) {
            long index = (block - area) / size;
            if (block < area || index >= carved || index * size != block - area) {
                fail(c, p, "free-list block 0x" + Long.toHexString(block) + " is not a carved block start");
            }
            // Its alloc bit only: in checks mode a free block holds its remote bit until it is
            // handed out again (Heap.unmark).
            if (((Memory.getLong(Layout.bitmapWord(bitmap, index)) >>> index) & 1) != 0) {
                fail(c, p, "free-list block 0x" + Long.toHexString(block) + " is not free in the bitmaps");
            }
            if (++free > carved) {
                fail(c, p, "the free list is longer than the carved blocks (a cycle)");
            }
        }
        if (used + free != carved || carved > Page.capacity(p)) {
            fail(c, p, "used " + used + " + free " + free + " != carved " + carved + " (capacity " + Page.capacity(p) + ")");
        }
        // Acquire: the count only grows until this owner swaps it; beyond the late ones it counts
        // blocks with their bit set, which are part of used.
        int counted = Page.remoteCount(Memory.getLongAcquire(p + Page.REMOTE)) - late;
        if (late < 0 || counted > used) {
            fail(c, p, "remote count " + counted + " beyond " + late + " late > used " + used);
        }
    }

    private static void fail(int c, long p, String what) {
        throw new IllegalStateException("Emma: page invariant broken, page 0x" + Long.toHexString(p) + " of class " + c
                + " (" + SizeClasses.blockSize(c) + " B): " + what);
    }
}
