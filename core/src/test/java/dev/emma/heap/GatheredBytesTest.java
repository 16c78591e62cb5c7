package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.page.SizeClasses;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a thread's gathered frees (FreeBatch) may hold: a thread freeing a mix of sizes keeps each
 * class's batch open up to that class's limit, so its batches are as large as a single size's, and
 * all of them go over together only past {@link FreeBatch#MAX_BYTES}, which is what a thread that
 * stops calling Emma can hold back at most.
 */
class GatheredBytesTest {
    private final Allocator allocator = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false));

    @AfterEach
    void close() {
        allocator.close();
    }

    @Test
    void aMixOfClassesIsGatheredUpToTheBoundThenHandedOverTogether() throws Exception {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        try {
            // The owner (alive throughout, so its pages stay OWNED by it) allocates, per class of
            // 256 B-8 KiB, one block short of the class's batch limit: consecutive blocks of a fresh
            // page, all in the page's first bitmap word.
            List<long[]> perClass = owner.submit(() -> {
                List<long[]> blocks = new ArrayList<>();
                for (int c = SizeClasses.classOf(256); c <= Heaps.LAST_SMALL_CLASS; c++) {
                    long[] b = new long[FreeBatch.limit(c) - 1];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = allocator.allocate(SizeClasses.blockSize(c));
                    }
                    blocks.add(b);
                }
                return blocks;
            }).get();
            // This thread frees them class by class: nothing goes over until the bound is passed.
            long expected = 0;
            boolean passed = false;
            int wholeClassesBeforeTheBound = 0;
            for (long[] blocks : perClass) {
                for (long block : blocks) {
                    long size = allocator.usableSize(block);
                    allocator.free(block);
                    expected += size;
                    if (expected <= FreeBatch.MAX_BYTES) {
                        assertEquals(expected, allocator.gatheredBytes(), "all gathered while within the bound");
                    } else {
                        assertEquals(0, allocator.gatheredBytes(), "past the bound, every batch is handed over");
                        passed = true;
                        expected = 0;
                    }
                }
                wholeClassesBeforeTheBound += passed ? 0 : 1;
            }
            assertTrue(passed, "the frees passed the bound once");
            // A mix of sizes keeps batches as large as a single size's: the bound holds several
            // classes' whole batches (7 here), not about one block of each (at 16 KiB it was passed
            // at the second class).
            assertTrue(wholeClassesBeforeTheBound >= 4,
                    wholeClassesBeforeTheBound + " of " + perClass.size() + " classes gathered whole before the bound");
            allocator.flushFrees();
            assertEquals(0, allocator.gatheredBytes());
        } finally {
            owner.shutdown();
        }
    }
}
