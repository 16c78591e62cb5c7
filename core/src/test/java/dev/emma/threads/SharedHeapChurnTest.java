package dev.emma.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.support.Sizes;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Threads that come and go share the shared heaps that serve medium blocks (9–64 KiB), each of
 * which keeps a page per class: a churning thread must take the heap its dead predecessors
 * used, not a new one, or every shared heap ends up holding a touched page per class (issue 9:
 * ThreadChurn wave=16 on 16 cores, 32 shared heaps). Fails on a choice by thread-id hash.
 */
class SharedHeapChurnTest {
    private static final long MEDIUM = 16 * Sizes.KiB;
    private static final int PAGE_SHIFT = 18; // 256 KiB medium pages, 16 blocks (8 in a segment's first)

    @Test
    void threadsOneAfterAnotherUseOneMediumPage() throws Exception {
        EmmaConfig config = EmmaConfig.defaults().withSharedHeaps(64).withBackgroundPurge(false);
        try (Emma emma = Emma.create(config)) {
            int threads = 8; // a segment's first medium page holds 8 blocks of 16 KiB (it is shorter)
            AtomicLongArray blocks = new AtomicLongArray(threads);
            for (int i = 0; i < threads; i++) {
                int index = i;
                Thread t = Thread.ofPlatform().start(() -> blocks.set(index, emma.allocate(MEDIUM)));
                t.join();
            }
            // Each block stays live, so each thread's page stays in use: one page means one heap.
            assertEquals(1, pages(blocks).size(), "medium pages used by " + threads + " threads in turn: " + pages(blocks));
            freeAll(emma, blocks);
        }
    }

    @Test
    void threadsAliveTogetherUseAsManyMediumPagesAsThereAreOfThem() throws Exception {
        EmmaConfig config = EmmaConfig.defaults().withSharedHeaps(64).withBackgroundPurge(false);
        try (Emma emma = Emma.create(config)) {
            int together = 3;
            int waves = 4; // 4 blocks per heap: one page each
            AtomicLongArray blocks = new AtomicLongArray(together * waves);
            for (int w = 0; w < waves; w++) {
                CyclicBarrier allocated = new CyclicBarrier(together);
                Thread[] wave = new Thread[together];
                for (int i = 0; i < together; i++) {
                    int index = w * together + i;
                    wave[i] = Thread.ofPlatform().start(() -> {
                        blocks.set(index, emma.allocate(MEDIUM));
                        try {
                            allocated.await(); // all of the wave alive at once
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                for (Thread t : wave) {
                    t.join();
                }
            }
            assertEquals(together, pages(blocks).size(), waves + " waves of " + together + " threads: " + pages(blocks));
            freeAll(emma, blocks);
        }
    }

    private static Set<Long> pages(AtomicLongArray blocks) {
        Set<Long> pages = new TreeSet<>();
        for (int i = 0; i < blocks.length(); i++) {
            pages.add(blocks.get(i) >>> PAGE_SHIFT);
        }
        return pages;
    }

    private static void freeAll(Emma emma, AtomicLongArray blocks) {
        for (int i = 0; i < blocks.length(); i++) {
            emma.free(blocks.get(i));
        }
    }
}
