package dev.emma.review;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Review s22-r1: residentBytes() (the agent's ResidentBytes, taken at every MBean attribute read
 * and every JFR period) walks every mapping with mincore while holding the huge blocks' lock (and
 * the segment pool's), which every huge allocation and free takes.
 */
class ResidentBytesCostTest {

    @Test
    @org.junit.jupiter.api.Disabled("review s22-r1: reproducer of an open finding, fails until fixed")
    void aResidentReadingDoesNotStallHugeAllocations() throws Exception {
        try (Emma emma = Emma.create()) {
            long[] blocks = new long[128];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = emma.allocate(256L << 20); // 32 GiB of mappings, never touched: nothing resident
            }
            for (int i = 0; i < 3; i++) {
                emma.residentBytes(); // warm up
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong worstNanos = new AtomicLong();
            Thread allocator = new Thread(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    long b = emma.allocate(8L << 20); // a huge block: takes the huge blocks' lock
                    emma.free(b);
                    worstNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                }
            });
            allocator.start();
            Thread.sleep(200);
            worstNanos.set(0);
            long start = System.nanoTime();
            int readings = 5;
            for (int i = 0; i < readings; i++) {
                emma.residentBytes();
            }
            long perReading = (System.nanoTime() - start) / readings;
            stop.set(true);
            allocator.join();
            System.out.println("residentBytes over 32 GiB mapped: " + perReading / 1000 + " us per reading;"
                    + " worst huge allocate+free meanwhile: " + worstNanos.get() / 1000 + " us;"
                    + " one scrape of 28 attributes = " + 28 * perReading / 1_000_000 + " ms");
            for (long b : blocks) {
                emma.free(b);
            }
            assertTrue(worstNanos.get() < 5_000_000, "a huge allocation waited " + worstNanos.get() / 1000 + " us for a reading");
        }
    }
}
