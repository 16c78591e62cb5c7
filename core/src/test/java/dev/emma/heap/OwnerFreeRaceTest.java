package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;
import dev.emma.InvalidFreeException;
import dev.emma.heap.HandOverHooks.Point;
import dev.emma.support.Brief;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two frees of one block at the same moment, forced into the gap between one free's check of the
 * block's bits and its claim of the block (see {@link ForcedInterleaving}): exactly one succeeds,
 * the other is reported as a double free, and the heap hands the block out once afterwards. Before
 * the owner's free claimed its block through the remote bitmap (docs/architecture.md, "Unsized
 * free"), each of these gave the page the block twice. Checks mode, where the claim is made.
 */
class OwnerFreeRaceTest {
    private static final long SIZE = 5 * 1024; // one remote free is a batch: the owner's next allocation takes it back
    private static final int PER_PAGE = 12;    // 5 KiB blocks in a 64 KiB page

    private final ForcedInterleaving hooks = new ForcedInterleaving();
    private final Allocator emma = new Allocator(EmmaConfig.defaults().withChecks(true).withBackgroundPurge(false), hooks);
    private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> ownerThread = new Thread(r, "emma-owner"));
    private volatile Thread ownerThread;

    @AfterEach
    void stop() {
        owner.shutdownNow();
        emma.close();
    }

    /** The owner has found its block live; another thread frees it before the owner claims it. */
    @Test
    void aRemoteFreeBetweenTheOwnersCheckAndItsClaim() throws Throwable {
        long[] blocks = call(() -> allocate(3));
        AtomicReference<Throwable> remote = new AtomicReference<>();
        hooks.arm(Point.OWNER_FREE_CHECKED, ownerThread, () -> remote.set(onOtherThread(blocks[1])));
        Throwable own = call(() -> attempt(blocks[1]));
        hooks.rethrow();
        assertEquals(1, hooks.fired());
        assertNull(remote.get(), "the remote free came first");
        assertInstanceOf(InvalidFreeException.class, own, "the owner's free lost");
        assertBlocksComeBackOnce(blocks[0], blocks[2]);
    }

    /**
     * Another thread has found the block live; its owner frees it before that thread sets its bit,
     * leaving the remote word as it was: the other thread's CAS succeeds, and it must back out.
     */
    @Test
    void anOwnerFreeBetweenARemoteFreesCheckAndItsClaim() throws Throwable {
        long[] blocks = call(() -> allocate(3));
        AtomicReference<Throwable> own = new AtomicReference<>();
        AtomicReference<Throwable> remote = new AtomicReference<>();
        Thread freer = Thread.ofPlatform().unstarted(() -> remote.set(attempt(blocks[1])));
        hooks.arm(Point.REMOTE_FREE_CHECKED, freer, () -> own.set(call(() -> attempt(blocks[1]))));
        freer.start();
        freer.join();
        hooks.rethrow();
        assertEquals(1, hooks.fired());
        assertNull(own.get(), "the owner's free came first");
        assertInstanceOf(InvalidFreeException.class, remote.get(), "the remote free lost");
        assertBlocksComeBackOnce(blocks[0], blocks[2]);
    }

    /**
     * Two frees by other threads, and the owner takes the block back between one free's check and
     * its claim (without handing it out again: a lower block goes first): the remote word is as
     * the late free read it, its CAS succeeds, and it must back out.
     */
    @Test
    void aTakeBackBetweenARemoteFreesCheckAndItsClaim() throws Throwable {
        long[] blocks = call(() -> allocate(PER_PAGE)); // the page is full
        AtomicReference<Throwable> late = new AtomicReference<>();
        long[] got = new long[1];
        Thread freer = Thread.ofPlatform().unstarted(() -> late.set(attempt(blocks[5])));
        hooks.arm(Point.REMOTE_FREE_CHECKED, freer, () -> {
            assertNull(onOtherThread(blocks[5]));
            assertNull(onOtherThread(blocks[2]));
            got[0] = call(() -> emma.allocate(SIZE)); // takes both back, hands out the lower one
        });
        freer.start();
        freer.join();
        hooks.rethrow();
        assertEquals(1, hooks.fired());
        assertEquals(blocks[2], got[0], "the lowest block taken back first");
        assertInstanceOf(InvalidFreeException.class, late.get(), "the late free lost");
        blocks[5] = blocks[2]; // live: blocks[2] (handed out again) and the others but blocks[5]
        assertBlocksComeBackOnce(blocks);
    }

    /**
     * The heap is intact: the owner's allocations of two pages' worth return distinct blocks, none
     * of them one still {@code held}; then everything is freed once, and exactly one free was
     * reported.
     */
    private void assertBlocksComeBackOnce(long... held) {
        long[] fresh = call(() -> allocate(2 * PER_PAGE));
        Set<Long> seen = new HashSet<>();
        for (long b : held) {
            seen.add(b);
        }
        for (long b : fresh) {
            assertEquals(true, seen.add(b), "block 0x" + Long.toHexString(b) + " handed out twice");
        }
        call(() -> {
            for (long b : seen) {
                emma.free(b);
            }
            return null;
        });
        EmmaStats stats = emma.stats();
        assertEquals(0, stats.liveBlocks(), Brief.of(stats));
        assertEquals(1, stats.invalidFrees(), Brief.of(stats));
    }

    private long[] allocate(int n) {
        long[] blocks = new long[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = emma.allocate(SIZE);
        }
        return blocks;
    }

    /** Frees {@code block} on the calling thread; what it threw, or null. */
    private Throwable attempt(long block) {
        try {
            emma.free(block);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** Frees {@code block} on a new thread (a remote free) and waits; what it threw, or null. */
    private Throwable onOtherThread(long block) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> thrown.set(attempt(block)));
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return thrown.get();
    }

    /** Runs {@code body} on the owner thread and waits for it. */
    private <T> T call(java.util.concurrent.Callable<T> body) {
        try {
            return owner.submit(body).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
