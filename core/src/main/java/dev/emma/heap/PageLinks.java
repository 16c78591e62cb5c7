package dev.emma.heap;

import dev.emma.memory.Memory;
import dev.emma.page.Page;

/**
 * A doubly linked list of page records per size class, through the records' QUEUE_PREV/QUEUE_NEXT
 * links, with its heads in {@code heads[c]}. A page is in at most one such list at a time: a
 * class's reuse queue while DETACHED ({@link Pages}, class lock), or its heap's retained pages
 * while OWNED ({@link Heap}, the owner's confinement); the caller provides that exclusion.
 */
final class PageLinks {
    private PageLinks() {
    }

    /** Puts {@code p} first in the list of class {@code c}. */
    static void push(long[] heads, int c, long p) {
        long head = heads[c];
        Memory.putLong(p + Page.QUEUE_PREV, 0);
        Memory.putLong(p + Page.QUEUE_NEXT, head);
        if (head != 0) {
            Memory.putLong(head + Page.QUEUE_PREV, p);
        }
        heads[c] = p;
    }

    /** Takes {@code p} out of the list of class {@code c}, wherever it is. */
    static void remove(long[] heads, int c, long p) {
        long prev = Memory.getLong(p + Page.QUEUE_PREV);
        long next = Memory.getLong(p + Page.QUEUE_NEXT);
        if (prev == 0) {
            heads[c] = next;
        } else {
            Memory.putLong(prev + Page.QUEUE_NEXT, next);
        }
        if (next != 0) {
            Memory.putLong(next + Page.QUEUE_PREV, prev);
        }
    }

    /** The page after {@code p}, 0 if none. */
    static long next(long p) {
        return Memory.getLong(p + Page.QUEUE_NEXT);
    }
}
