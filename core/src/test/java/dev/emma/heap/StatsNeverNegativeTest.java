package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaStats;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * stats() sums per-heap counters racily; a block allocated by a producer thread
 * (heap read first) and freed by a consumer thread (heap read later) may be counted as freed but
 * not allocated, so live figures went below zero (-53,034 live blocks) until frees were read first.
 */
class StatsNeverNegativeTest {

    @Test
    void liveBlocksAndBytesNeverGoBelowZeroUnderProducerConsumer() throws Exception {
        try (Emma emma = Emma.create()) {
            AtomicLongArray ring = new AtomicLongArray(4); // 0 = empty slot
            AtomicBoolean stop = new AtomicBoolean();
            Thread producer = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    int slot = i & 3;
                    if (ring.get(slot) == 0) {
                        ring.set(slot, emma.allocate(64));
                        i++;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            producer.start();
            while (emma.stats().totalAllocations() == 0) {
                Thread.onSpinWait(); // the producer's heap is registered (listed) first
            }
            Thread consumer = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    int slot = i & 3;
                    long a = ring.getAndSet(slot, 0);
                    if (a != 0) {
                        emma.free(a);
                        i++;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            consumer.start();
            long minLiveBlocks = Long.MAX_VALUE;
            long minLiveBytes = Long.MAX_VALUE;
            long minClassLive = Long.MAX_VALUE;
            long deadline = System.nanoTime() + 5_000_000_000L;
            int readings = 0;
            while (System.nanoTime() < deadline && minLiveBlocks >= 0 && minClassLive >= 0) {
                EmmaStats s = emma.stats();
                readings++;
                minLiveBlocks = Math.min(minLiveBlocks, s.liveBlocks());
                minLiveBytes = Math.min(minLiveBytes, s.liveBytes());
                for (EmmaStats.SizeClassStats c : s.sizeClasses()) {
                    minClassLive = Math.min(minClassLive, c.liveBlocks());
                }
            }
            stop.set(true);
            producer.join();
            consumer.join();
            System.out.println("readings=" + readings + " minLiveBlocks=" + minLiveBlocks + " minLiveBytes=" + minLiveBytes
                    + " minClassLive=" + minClassLive);
            assertTrue(minClassLive >= 0, "a size class's live blocks went negative: " + minClassLive);
            assertTrue(minLiveBlocks >= 0, "liveBlocks went negative: " + minLiveBlocks);
            assertTrue(minLiveBytes >= 0, "liveBytes went negative: " + minLiveBytes);
        }
    }
}
