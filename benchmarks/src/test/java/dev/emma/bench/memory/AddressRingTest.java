package dev.emma.bench.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressRingTest {

    @Test
    void firstInFirstOutUpToCapacity() {
        AddressRing ring = new AddressRing(2);
        for (long a = 1; a <= 4; a++) {
            assertTrue(ring.offer(a));
        }
        assertFalse(ring.offer(5));
        assertEquals(1, ring.poll());
        assertTrue(ring.offer(5));
        assertEquals(2, ring.poll());
        assertEquals(3, ring.poll());
        assertEquals(4, ring.poll());
        assertEquals(5, ring.poll());
        assertEquals(0, ring.poll());
    }

    @Test
    void carriesEveryValueAcrossThreadsExactlyOnce() throws InterruptedException {
        AddressRing ring = new AddressRing(4);
        long count = 200_000;
        Thread producer = Thread.ofPlatform().start(() -> {
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
            }
        }
        producer.join();
        assertEquals(0, ring.poll());
    }
}
