package dev.emma.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.os.Syscalls;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** {@link Memory#fill}: exact bytes at every length, offset and value, and no Java object per short zero fill. */
class MemoryFillTest {

    private static final long LENGTH = 2 * Syscalls.PAGE_SIZE;

    @Test
    void fillsExactlyTheRangeAtEveryShapeOfLengthOffsetAndValue() {
        long base = Syscalls.mmap(0, LENGTH, Syscalls.PROT_READ_WRITE, 0);
        try {
            for (long bytes : new long[] {0, 1, 7, 8, 9, 63, 512, 513, 4000}) {
                for (long offset = 0; offset < 9; offset++) {
                    checkFill(base, offset, bytes, (byte) 0);
                    checkFill(base, offset, bytes, (byte) 0xA5);
                }
            }
        } finally {
            Syscalls.munmap(base, LENGTH);
        }
    }

    private static void checkFill(long base, long offset, long bytes, byte value) {
        Memory.fill(base, LENGTH, (byte) 0x11);
        Memory.fill(base + offset, bytes, value);
        for (long i = 0; i < offset + bytes + 9; i++) {
            byte expected = i >= offset && i < offset + bytes ? value : (byte) 0x11;
            assertEquals(expected, Memory.getByte(base + i), "byte " + i + " of fill(" + offset + ", " + bytes + ", " + value + ")");
        }
    }

    @Test
    void aBitmapSizedZeroFillAllocatesNothingOnTheJavaHeap() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long base = Syscalls.mmap(0, LENGTH, Syscalls.PROT_READ_WRITE, 0);
        try {
            int calls = 20_000;
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) {
                Memory.fill(base + (i & 7) * 8, 512, (byte) 0);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // One slice per call would be at least 40 bytes each: 800 KB. Allow a few objects of the harness.
            assertTrue(allocated < calls, "short fills allocated " + allocated + " bytes on the Java heap for " + calls + " calls");
        } finally {
            Syscalls.munmap(base, LENGTH);
        }
    }
}
