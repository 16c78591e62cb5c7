package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.EmmaConfig;
import dev.emma.segment.ProcMaps;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** close() stops the purger before it unmaps anything (review s22-r2). */
class PurgerStopTest {

    /**
     * close() on an interrupted thread: Purger.stop()'s join threw at once, and close() unmapped the
     * segments while the purger was still in heaps.reclaim(), about to write a page record.
     */
    @Test
    void closeOnAnInterruptedThreadWaitsForARunningPurge() throws Throwable {
        CountDownLatch atLock = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong blockedOn = new AtomicLong();
        AtomicReference<Thread> purger = new AtomicReference<>();
        HandOverHooks hooks = (point, page) -> {
            if (point == HandOverHooks.Point.CLASS_LOCK && page != 0
                    && Thread.currentThread().getName().startsWith("emma-purger-") && purger.get() == null) {
                purger.set(Thread.currentThread());
                blockedOn.set(page);
                atLock.countDown();
                while (true) {
                    try {
                        go.await();
                        return;
                    } catch (InterruptedException e) {
                        // close() interrupts the purger: it keeps going, as a purge does
                    }
                }
            }
        };
        Allocator allocator = new Allocator(EmmaConfig.defaults().withPurgeDelay(Duration.ofMillis(40)), hooks);
        // A thread that allocates a small block and dies: the purger detaches its heap's page.
        ForcedInterleaving.onThreadThatDies(() -> allocator.allocate(100));
        assertTrue(atLock.await(10, TimeUnit.SECONDS), "the purger reached a page of the dead heap");
        Thread closer = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt(); // e.g. a task cancelled with Future.cancel(true) closing its instance
            allocator.close();
        });
        closer.join(1000);
        boolean returnedEarly = !closer.isAlive(); // close() returned with the purger still mid-purge
        long page = blockedOn.get();
        String perms = ProcMaps.perms(page);
        if (!returnedEarly || Boolean.getBoolean("r2.crash")) {
            go.countDown(); // with the bug: the purger writes the record of an unmapped page, a SIGSEGV
            purger.get().join(5000);
        }
        closer.join(5000);
        assertFalse(closer.isAlive(), "close() returned once the purger stopped");
        assertFalse(returnedEarly, "close() returned while the purger is mid-purge, and page record 0x"
                + Long.toHexString(page) + " it is about to write is " + perms);
    }
}
