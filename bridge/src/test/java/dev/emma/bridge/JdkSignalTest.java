package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JdkSignalTest {

    private final JdkSignal signal = new JdkSignal();
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void anActionWaitsForTheMomentAndRunsOnce() {
        signal.then(runs::incrementAndGet);
        assertEquals(0, runs.get());
        signal.happened();
        signal.happened();
        assertEquals(1, runs.get());
    }

    @Test
    void anActionAfterTheMomentRunsAtOnce() {
        signal.happened();
        signal.then(runs::incrementAndGet);
        assertEquals(1, runs.get());
        signal.happened();
        assertEquals(1, runs.get());
    }

    @Test
    void aFailingActionNeverFailsTheJdksCall() {
        signal.then(() -> {
            throw new IllegalStateException("the agent's problem");
        });
        signal.happened(); // no exception
        signal.then(runs::incrementAndGet);
        assertEquals(1, runs.get());
    }

    @Test
    void theActionRunsOnceWhenTheMomentRacesItsRegistration() throws Exception {
        for (int round = 0; round < 200; round++) {
            JdkSignal racing = new JdkSignal();
            AtomicInteger count = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Thread jdk = new Thread(() -> {
                await(go);
                racing.happened();
            });
            jdk.start();
            go.countDown();
            racing.then(count::incrementAndGet);
            jdk.join();
            // whichever came second saw the first (both sides are volatile): never lost, never twice
            assertEquals(1, count.get(), "round " + round);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
