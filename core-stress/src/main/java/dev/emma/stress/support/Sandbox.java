package dev.emma.stress.support;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.page.PageKind;
import dev.emma.segment.Layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The private Emma instance of one jcstress state, and the threads that set up its pre-conditions.
 *
 * <p>A fresh instance per state makes every pre-condition exact (which pages exist, which heap owns
 * them) and every counter of {@link dev.emma.EmmaStats} exact for that state, whatever other states
 * run beside it. It costs a few mappings (the ownership map's reservation, one segment) and their
 * page faults, so the stride options of the run keep the number of states alive at once small
 * (see the module's pom).
 *
 * <p>Pre-conditions are built on threads that are neither actor: jcstress constructs states on its
 * actor threads, and a page the constructing thread's heap keeps would change what the actors race
 * for. {@link #onSetupThread} runs on one long-lived platform thread (its heap keeps its pages, and it
 * never allocates again during the race); {@link #onDyingThread} on a new thread that is dead when it
 * returns (its heap is left for reclamation, or for the next thread whose first call is an
 * allocation to inherit).
 */
public final class Sandbox {
    /** 8 KiB blocks: a small page (64 KiB in today's core) holds 8, so pages fill and empty fast. */
    public static final long SMALL = 8192;
    /**
     * Blocks per small page in today's core. Only the pre-conditions use it (how many blocks fill a
     * page): if the geometry changes, the interleaving labels blur, the safety checks do not.
     */
    public static final int SMALL_PER_PAGE = 8;
    /**
     * Pages of {@link #SMALL} blocks a thread heap retains per class in today's core (full ones
     * that it still owns), beyond which it detaches the oldest full page; as many emptied ones it
     * keeps as spares. Only {@link #detachedFullPage} uses it.
     */
    public static final int SMALL_RETAINED = 8;
    /** 64 KiB blocks: served by each platform thread's own heap, four to a medium page. */
    public static final long MEDIUM = 65536;
    /** 128 KiB blocks: a large class, served by a shared heap under its monitor (the only one: sharedHeaps=1). */
    public static final long LARGE = 128 * 1024;

    private static final ExecutorService SETUP = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "emma-stress-setup");
        t.setDaemon(true);
        return t;
    });

    public final Emma emma;
    public final Ledger ledger;

    private Sandbox(boolean checks) {
        // No purger thread (purging happens where a test calls trim()), one shared heap (so which
        // shared heap serves a thread does not depend on its id).
        EmmaConfig config = EmmaConfig.defaults().withChecks(checks).withBackgroundPurge(false).withSharedHeaps(1);
        this.emma = Emma.create(config);
        this.ledger = new Ledger(emma);
    }

    /** A fresh instance in checks mode: bad frees throw, page invariants are checked at every hand-over. */
    public static Sandbox checked() {
        return new Sandbox(true);
    }

    /** A fresh instance in the default mode: bad frees are only counted. */
    public static Sandbox plain() {
        return new Sandbox(false);
    }

    /** Runs {@code body} on the setup thread and waits for it (which orders its effects before the actors'). */
    public long[] onSetupThread(Function<Emma, long[]> body) {
        try {
            return SETUP.submit(() -> body.apply(emma)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("setup failed", e.getCause());
        }
    }

    /**
     * Runs {@code body} on a new platform thread and returns what it returned once that thread is
     * dead: its heap, and the pages it holds, wait for the reclamation of dead threads' heaps.
     */
    public long[] onDyingThread(Function<Emma, long[]> body) {
        long[][] result = new long[1][];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                result[0] = body.apply(emma);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "emma-stress-dying");
        t.start();
        try {
            t.join(); // isAlive() is false from here on, and join orders the thread's effects before ours
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure[0] != null) {
            throw new IllegalStateException("setup failed", failure[0]);
        }
        return result[0];
    }

    /**
     * Runs an actor's part and returns what it threw, or null. Actors never throw: an exception would
     * end the fork, where a recorded one becomes the state's verdict and is counted like any outcome.
     */
    public static Throwable attempt(Runnable part) {
        try {
            part.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** {@code n} blocks of {@code size}, each stamped. */
    public static long[] allocateStamped(Emma emma, long size, int n) {
        long[] blocks = new long[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = allocateStamped(emma, size);
        }
        return blocks;
    }

    /**
     * On the calling thread (the setup thread): a full page of {@link #SMALL} blocks that the heap
     * has let go of (DETACHED, in no queue: the oldest full page beyond its retained ones), and, as
     * the last element, one more block on the heap's current page. The pages in between are
     * allocated and freed again by the heap itself (it keeps them as spares, in no queue).
     */
    public static long[] detachedFullPage(Emma emma) {
        long[] blocks = Arrays.copyOf(allocateStamped(emma, SMALL, SMALL_PER_PAGE), SMALL_PER_PAGE + 1);
        long[] filler = allocateStamped(emma, SMALL, SMALL_PER_PAGE * SMALL_RETAINED);
        blocks[SMALL_PER_PAGE] = allocateStamped(emma, SMALL); // a new page: the first one is detached
        for (long f : filler) {
            emma.free(f);
        }
        return blocks;
    }

    /**
     * {@code n} stamped blocks of {@link #SMALL} on one page of a thread that is dead now, held in the
     * ledger as {@code d0, d1, ...}; {@code trim()} has reclaimed its heap, so the page (with room
     * to carve) waits in the reuse queue for a heap to adopt it.
     */
    public long[] queuedDeadPage(int n) {
        long[] dead = onDyingThread(e -> allocateStamped(e, SMALL, n));
        ledger.holdAll("d", dead, SMALL);
        emma.trim();
        return dead;
    }

    /**
     * A block of {@code size} that a thread allocated and freed itself before it died: its heap
     * (not reclaimed yet) keeps the empty page.
     */
    public long freedByADeadThread(long size) {
        return onDyingThread(e -> {
            long[] b = allocateStamped(e, size, 1);
            e.free(b[0]); // the owner's free: the page stays with the (soon dead) heap, empty
            return b;
        })[0];
    }

    /**
     * The blocks b0..b7 of a full page the setup thread's heap let go of ({@link #detachedFullPage}),
     * of which b7 is freed, so that the page waits in the reuse queue; b0..b6 are held in the ledger,
     * and so is {@code z}, the block on the heap's current page (returned as the last element).
     */
    public long[] queuedDetachedPage() {
        long[] setup = onSetupThread(e -> {
            long[] blocks = detachedFullPage(e);
            e.free(blocks[SMALL_PER_PAGE - 1]); // b7: a free into a page its heap let go of queues it
            return blocks;
        });
        ledger.holdAll("b", Arrays.copyOf(setup, SMALL_PER_PAGE - 1), SMALL);
        ledger.hold("z", setup[SMALL_PER_PAGE], SMALL);
        return setup;
    }

    /**
     * Stamped blocks of {@code size} (a small class) until one lands on another small page: a full
     * page's blocks, then that one.
     */
    public static long[] fillSmallPage(Emma emma, long size) {
        List<Long> got = new ArrayList<>();
        long first = allocateStamped(emma, size);
        got.add(first);
        while (true) {
            long b = allocateStamped(emma, size);
            got.add(b);
            if (smallPageIndex(b) != smallPageIndex(first)) {
                return got.stream().mapToLong(Long::longValue).toArray();
            }
        }
    }

    /** Which small page of its segment holds {@code block} (the blocks of two pages can be contiguous). */
    private static long smallPageIndex(long block) {
        long segment = Layout.segmentOf(block);
        return segment + ((block - segment) >>> PageKind.SMALL.shift);
    }

    /** One block of {@code size}, stamped. */
    public static long allocateStamped(Emma emma, long size) {
        long block = emma.allocate(size);
        Stamps.stamp(block, size);
        return block;
    }
}
