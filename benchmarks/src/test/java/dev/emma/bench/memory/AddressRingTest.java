package dev.emma.bench.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRingTest {

    @Test
    void firstInFirstOutUpToCapacity() {
        AddressRing ring = new AddressRing(2);
        for (long a = 1; a <= 4; a++) {
            assertTrue(ring.offer(a));
        }
        assertFalse(ring.offer(5));
        assertEquals(1, ring.poll());
        assertTrue(ring.offer(5)); // the producer's cached view said full: it must look again
        assertFalse(ring.offer(6));
        assertEquals(2, ring.poll());
        assertEquals(3, ring.poll());
        assertEquals(4, ring.poll());
        assertEquals(5, ring.poll());
        assertEquals(0, ring.poll());
    }

    @Test
    void anOfferAfterEmptyIsSeen() {
        AddressRing ring = new AddressRing(3);
        assertEquals(0, ring.poll());
        assertTrue(ring.offer(7)); // the consumer's cached view said empty: it must look again
        assertEquals(7, ring.poll());
        assertEquals(0, ring.poll());
    }

    @Test
    void wrapsAroundManyTimesInOneThread() {
        AddressRing ring = new AddressRing(2);
        long next = 1;
        long expected = 1;
        for (int round = 0; round < 100; round++) {
            int batch = 1 + round % 4; // 1..4 in flight: every slot offset, full and empty
            for (int i = 0; i < batch; i++) {
                assertTrue(ring.offer(next++));
            }
            for (int i = 0; i < batch; i++) {
                assertEquals(expected++, ring.poll());
            }
            assertEquals(0, ring.poll());
        }
    }

    @Test
    void rejectsACapacityOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new AddressRing(-1));
        assertThrows(IllegalArgumentException.class, () -> new AddressRing(29));
    }

    @Test
    void rejectsZeroWhichMarksAFreeSlot() {
        AddressRing ring = new AddressRing(1);
        assertThrows(IllegalArgumentException.class, () -> ring.offer(0));
        assertEquals(0, ring.poll());
    }

    /** The producer's limit must never run past a slot the consumer has not taken yet. */
    @Test
    void theProducerLimitStopsAtTheOldestUntakenSlot() {
        AddressRing ring = new AddressRing(4); // 16 slots, look-ahead 4
        for (long a = 1; a <= 16; a++) {
            assertTrue(ring.offer(a));
        }
        assertFalse(ring.offer(17));
        assertEquals(1, ring.poll()); // one slot free: no look-ahead window, one offer only
        assertTrue(ring.offer(17));
        assertFalse(ring.offer(18));
        for (long a = 2; a <= 17; a++) {
            assertEquals(a, ring.poll());
        }
        assertEquals(0, ring.poll());
    }

    /** Tiny rings run full and empty constantly: both sides' cached views go stale all the time. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 8})
    void carriesEveryValueAcrossThreadsExactlyOnceInOrder(int log2Capacity) throws InterruptedException {
        AddressRing ring = new AddressRing(log2Capacity);
        long count = 100_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().uncaughtExceptionHandler((t, e) -> failure.set(e)).start(() -> {
            for (long a = 1; a <= count; a++) {
                while (!ring.offer(a)) {
                    Thread.onSpinWait();
                }
            }
        });
        long expected = 1;
        while (expected <= count) {
            long a = ring.poll();
            if (a != 0) {
                assertEquals(expected++, a);
            } else {
                Thread.onSpinWait();
            }
        }
        producer.join();
        assertEquals(null, failure.get());
        assertEquals(0, ring.poll());
    }
}
