package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class SampledBlocksTest {

    /** Addresses spread over the table like malloc's (16-byte aligned, distinct). */
    private static long address(int i) {
        return 0x7f00_0000_0000L + (long) i * 4096;
    }

    @Test
    void bigBlocksAreCountedExactly() {
        SampledBlocks sample = new SampledBlocks();
        for (int i = 0; i < 1000; i++) {
            sample.allocated(address(i), SampledBlocks.THRESHOLD + i, SampledBlocks.OTHER);
        }
        for (int i = 0; i < 1000; i += 2) {
            sample.freed(address(i));
        }
        long expected = 0;
        for (int i = 1; i < 1000; i += 2) {
            expected += SampledBlocks.THRESHOLD + i;
        }
        assertEquals(expected, sample.read(-1).liveBytes());
        assertEquals(500, sample.read(-1).liveBlocks());
        assertEquals(500, sample.read(-1).frees());
    }

    @Test
    void smallBlocksAreEstimatedWithoutBias() {
        // 400,000 live blocks of 1 KiB (390 MiB); the estimate's standard error is sqrt(64 KiB x 390 MiB) = 5 MiB
        // (1.3 %): 8 % is six standard errors.
        SampledBlocks sample = new SampledBlocks();
        int blocks = 800_000;
        for (int i = 0; i < blocks; i++) {
            sample.allocated(address(i), 1024, SampledBlocks.OTHER);
        }
        for (int i = 0; i < blocks; i += 2) {
            sample.freed(address(i));
        }
        double live = blocks / 2 * 1024.0;
        assertEquals(live, sample.read(-1).liveBytes(), live * 0.08);
        assertEquals(blocks / 2.0, sample.read(-1).liveBlocks(), blocks / 2.0 * 0.08);
        assertEquals(blocks * 1024.0, sample.read(-1).allocatedBytes(), blocks * 1024.0 * 0.08);
    }

    @Test
    void onlyAFewSmallBlocksAreRemembered() {
        // What "no per-block state on the hot path" means here: 64-byte blocks are kept with probability 1/1024.
        SampledBlocks sample = new SampledBlocks();
        for (int i = 0; i < 100_000; i++) {
            sample.allocated(address(i), 64, SampledBlocks.OTHER);
        }
        assertTrue(sample.remembered() < 400, "remembered " + sample.remembered() + " of 100,000 blocks");
    }

    @Test
    void blocksWhoseSlotIsTakenGoToTheOverflowAndAreStillFound() {
        SampledBlocks sample = new SampledBlocks();
        long first = address(0);
        long colliding = collidingWith(first);
        sample.allocated(first, 1 << 20, SampledBlocks.OTHER);
        assertEquals(0, sample.overflowed());
        sample.allocated(colliding, 1 << 20, SampledBlocks.LINKER);
        assertEquals(1, sample.overflowed());
        assertEquals(2L << 20, sample.read(-1).liveBytes());
        assertEquals(1L << 20, sample.read(SampledBlocks.LINKER).liveBytes());
        sample.freed(colliding);
        sample.freed(first);
        assertEquals(0, sample.read(-1).liveBytes());
        assertEquals(0, sample.read(SampledBlocks.LINKER).liveBytes());
        assertEquals(0, sample.remembered());
    }

    @Test
    void aBlockFreedUnseenGoesWhenItsAddressIsSampledAgain() {
        // The allocator handed the address of a block freed by a route the agent does not see out again:
        // the old block is gone. Kept, it stayed live for good, and the new one overflowed, which sent
        // every later free out of line.
        SampledBlocks sample = new SampledBlocks();
        long first = address(0);
        long colliding = collidingWith(first);
        sample.allocated(first, 1 << 20, SampledBlocks.OTHER);
        sample.allocated(first, 1 << 16, SampledBlocks.LINKER); // the old block was freed unseen
        assertEquals(0, sample.overflowed());
        assertEquals(1L << 16, sample.read(-1).liveBytes());
        assertEquals(1, sample.read(SampledBlocks.OTHER).frees(), "the old block counts as freed");
        assertEquals((1L << 20) + (1L << 16), sample.read(-1).allocatedBytes());
        sample.allocated(colliding, 1 << 20, SampledBlocks.OTHER); // overflows: its slot is taken
        sample.allocated(colliding, 1 << 20, SampledBlocks.OTHER); // freed unseen, handed out again
        assertEquals(1, sample.overflowed());
        sample.freed(colliding);
        sample.freed(first);
        assertEquals(0, sample.read(-1).liveBytes());
        assertEquals(0, sample.overflowed());
        assertFalse(sample.mayBeSampled(address(5)), "the overflow is empty again: frees stay on the fast path");
    }

    @Test
    void freesStopLookingInTheOverflowOnceItIsEmpty() {
        // Regression: a sticky "overflow used" flag sent every later free, sampled or not, out of line into the
        // map's remove (a lock on a shared bin per free: the passthrough arm's scaling cliff at 16 threads).
        SampledBlocks sample = new SampledBlocks();
        long first = address(0);
        long colliding = collidingWith(first);
        long unsampled = address(5);
        sample.allocated(first, 1 << 20, SampledBlocks.OTHER);
        sample.allocated(colliding, 1 << 20, SampledBlocks.OTHER);
        assertTrue(sample.mayBeSampled(unsampled), "while the overflow holds a block, every free must look there");
        sample.freed(colliding);
        assertEquals(0, sample.overflowed());
        assertFalse(sample.mayBeSampled(unsampled), "an empty overflow sends no free out of line");
        assertTrue(sample.mayBeSampled(first));
    }

    @Test
    void theTableIsAllocatedOnlyAtTheFirstSampledBlock() {
        // Its 256 KiB are resident in every JVM with the agent, sampling or not: frees, retags and
        // unsampled allocations before the first sampled block must not allocate it.
        SampledBlocks sample = new SampledBlocks();
        sample.allocated(address(1), 0, SampledBlocks.OTHER);
        sample.retag(address(1), SampledBlocks.APPLICATION);
        sample.freed(address(1));
        sample.freed(address(2));
        assertFalse(sample.mayBeSampled(address(2)));
        assertEquals(0, sample.read(-1).liveBytes());
        assertEquals(0, sample.remembered());
        assertFalse(sample.tableAllocated());

        sample.allocated(address(3), SampledBlocks.THRESHOLD, SampledBlocks.OTHER);
        assertTrue(sample.tableAllocated());
        sample.retag(address(3), SampledBlocks.LINKER);
        assertEquals(SampledBlocks.THRESHOLD, sample.read(SampledBlocks.LINKER).liveBytes());
        sample.freed(address(3));
        assertEquals(0, sample.read(-1).liveBytes());
        assertEquals(0, sample.remembered());
    }

    @Test
    void aFreeOfAnUnsampledAddressChangesNothing() {
        SampledBlocks sample = new SampledBlocks();
        sample.allocated(address(1), 1 << 20, SampledBlocks.OTHER);
        sample.freed(address(2));
        assertEquals(1 << 20, sample.read(-1).liveBytes());
    }

    @Test
    void aRetaggedBlockCountsForItsNewTagUntilItIsFreed() {
        // The retag's work runs out of line only for a block in the sample: one in the table, one in the overflow.
        SampledBlocks sample = new SampledBlocks();
        long first = address(0);
        long colliding = collidingWith(first);
        sample.allocated(first, 1 << 20, SampledBlocks.OTHER);
        sample.allocated(colliding, 2 << 20, SampledBlocks.OTHER);
        assertEquals(1, sample.overflowed());
        sample.retag(first, SampledBlocks.APPLICATION);
        sample.retag(colliding, SampledBlocks.APPLICATION);
        sample.retag(address(7), SampledBlocks.APPLICATION); // not in the sample: changes nothing
        assertEquals(3L << 20, sample.read(SampledBlocks.APPLICATION).liveBytes());
        assertEquals(0, sample.read(SampledBlocks.OTHER).liveBytes());
        assertEquals(0, sample.read(SampledBlocks.OTHER).allocatedBytes());
        assertEquals(2, sample.read(SampledBlocks.APPLICATION).liveBlocks());
        sample.freed(colliding);
        assertEquals(1L << 20, sample.read(SampledBlocks.APPLICATION).liveBytes());
        sample.freed(first);
        assertEquals(0, sample.read(-1).liveBytes());
        assertEquals(2, sample.read(SampledBlocks.APPLICATION).frees());
        assertEquals(0, sample.remembered());
    }

    @Test
    void concurrentThreadsAreCountedExactly() throws Exception {
        // Big blocks are always sampled, so the figures are exact: 4 threads (twice the cores) allocate, retag
        // and free their own addresses at once, through the table and its overflow (slots shared between threads).
        SampledBlocks sample = new SampledBlocks();
        int threads = 4;
        int perThread = 20_000;
        int keptEach = 1_000; // the last blocks of each thread stay live
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long address = address(thread * perThread + i);
                        long size = SampledBlocks.THRESHOLD + (i & 1023);
                        sample.allocated(address, size, SampledBlocks.OTHER);
                        if ((i & 1) == 0) {
                            sample.retag(address, SampledBlocks.APPLICATION);
                        }
                        if (i < perThread - keptEach) {
                            sample.freed(address);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertTrue(failures.isEmpty(), failures.toString());
        long liveApplication = 0;
        long liveOther = 0;
        for (int i = perThread - keptEach; i < perThread; i++) {
            long size = SampledBlocks.THRESHOLD + (i & 1023);
            if ((i & 1) == 0) {
                liveApplication += size * threads;
            } else {
                liveOther += size * threads;
            }
        }
        assertEquals(liveApplication, sample.read(SampledBlocks.APPLICATION).liveBytes());
        assertEquals(liveOther, sample.read(SampledBlocks.OTHER).liveBytes());
        assertEquals((long) threads * keptEach, sample.read(-1).liveBlocks());
        assertEquals((long) threads * (perThread - keptEach), sample.read(-1).frees());
        assertEquals((long) threads * keptEach, sample.remembered());
    }

    private static long collidingWith(long first) {
        for (int i = 1; ; i++) {
            if (SampledBlocks.slot(address(i)) == SampledBlocks.slot(first)) {
                return address(i);
            }
        }
    }
}
