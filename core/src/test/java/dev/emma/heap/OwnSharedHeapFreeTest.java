package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emma.EmmaConfig;
import dev.emma.heap.HandOverHooks.Point;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A thread frees the medium blocks of the shared heap it allocates them from as that heap's owner,
 * under its monitor: no remote free, and the block is the next one handed out. Another thread's
 * free of such a block is still a remote free.
 */
class OwnSharedHeapFreeTest {
    private static final long SIZE = 32 * 1024;

    private final CountingHooks recorder = new CountingHooks();
    private final Allocator emma = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), recorder);

    @AfterEach
    void close() {
        emma.close();
    }

    @Test
    void aThreadsFreeOfItsOwnMediumBlockIsAnOwnerFree() {
        long a = emma.allocate(SIZE);
        long b = emma.allocate(SIZE);
        recorder.watched = Thread.currentThread();
        recorder.reset();
        emma.free(a);
        assertEquals(0, recorder.count(Point.REMOTE_FREE_CHECKED), "no remote free");
        assertEquals(a, emma.allocate(SIZE), "the freed block is the next one handed out, with no take-back");
        assertEquals(0, recorder.count(Point.COLLECTED));
        emma.free(b);
        emma.free(a);
        assertEquals(0, recorder.count(Point.REMOTE_FREE_CHECKED));
        assertEquals(0, emma.stats().liveBlocks());
    }

    @Test
    void anotherThreadsFreeOfItIsStillRemote() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            long a = emma.allocate(SIZE);
            other.submit(() -> emma.allocate(16)).get(); // the other thread gets a heap and a stripe of its own
            recorder.reset();
            other.submit(() -> emma.free(a)).get();
            assertEquals(1, recorder.count(Point.REMOTE_FREE_CHECKED), "a remote free");
            assertEquals(1, emma.stats().totalFrees());
        } finally {
            other.shutdown();
        }
    }
}
