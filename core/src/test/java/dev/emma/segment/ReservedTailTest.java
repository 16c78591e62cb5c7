package dev.emma.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.memory.Memory;
import org.junit.jupiter.api.Test;

/**
 * A mapping's reserved tail as the kernel sees it (/proc/self/maps): PROT_NONE after mapAligned,
 * readable, writable and zero after a commit, which joins the accessible head's VMA again (so a
 * later mremap of the head and the committed part, one VMA, works).
 */
class ReservedTailTest {
    private static final long SEGMENT = Layout.SEGMENT_SIZE;
    private static final long PAGE = 4096;

    @Test
    void theTailIsProtNoneAndACommitMakesItReadableWritableAndZero() {
        Mapper mapper = new Mapper(new SegmentMap(), 0);
        long accessible = 2 * PAGE;
        long base = mapper.mapAligned(2 * SEGMENT, accessible, SEGMENT, SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
        try {
            assertEquals("rw-p", ProcMaps.perms(base));
            assertEquals("rw-p", ProcMaps.perms(base + accessible - 1));
            assertEquals("---p", ProcMaps.perms(base + accessible), "the reserved tail is PROT_NONE");
            assertEquals("---p", ProcMaps.perms(base + 2 * SEGMENT - 1));

            long committed = 3 * PAGE;
            mapper.commit(base + accessible, committed);
            long end = base + accessible + committed;
            assertEquals("rw-p", ProcMaps.perms(end - 1));
            assertEquals("---p", ProcMaps.perms(end), "past the commit the tail stays PROT_NONE");
            ProcMaps.Vma head = ProcMaps.at(base);
            assertTrue(head.start() <= base && head.end() == end, "the commit joined the head's VMA: " + head);
            for (long a = base + accessible; a < end; a += 8) {
                assertEquals(0, Memory.getLong(a), "committed bytes read as zero");
            }
            Memory.fill(base + accessible, committed, (byte) 0x5a);
            assertEquals(accessible + committed, mapper.mappedBytes());
        } finally {
            mapper.unmap(base, 2 * SEGMENT, mapper.mappedBytes());
        }
    }
}
