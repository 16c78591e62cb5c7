package dev.emma.support;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many threads allocate and free random blocks; a share of the frees is handed to another thread
 * through its inbox. Every block is registered in {@link LiveRanges} (alignment, overlap), filled
 * with a pattern keyed by its address, and checked before it is freed. The first violation stops
 * the run; the blocks involved are left alone (never written, never freed) so a broken allocator
 * cannot make the checker corrupt memory.
 */
public final class StressRun {

    /** What a run found. */
    public record Result(List<String> violations, long allocations, long frees, long handedOff) {
    }

    public record Settings(int threads, int opsPerThread, long minSize, long maxSize, int maxLivePerThread,
                           double handOffShare, long deadlineNanos) {
    }

    private record Block(long address, long size) {
    }

    private final BlockAllocator allocator;
    private final Settings settings;
    private final long seed;
    private final LiveRanges ranges = new LiveRanges();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong allocations = new AtomicLong();
    private final AtomicLong frees = new AtomicLong();
    private final AtomicLong handedOff = new AtomicLong();
    private final List<ConcurrentLinkedQueue<Block>> inboxes = new ArrayList<>();

    private StressRun(BlockAllocator allocator, Settings settings, long seed) {
        this.allocator = allocator;
        this.settings = settings;
        this.seed = seed;
        for (int i = 0; i < settings.threads(); i++) {
            inboxes.add(new ConcurrentLinkedQueue<>());
        }
    }

    public static Result run(BlockAllocator allocator, Settings settings, long seed) throws InterruptedException {
        return new StressRun(allocator, settings, seed).run();
    }

    private Result run() throws InterruptedException {
        CyclicBarrier opsDone = new CyclicBarrier(settings.threads());
        long deadline = System.nanoTime() + settings.deadlineNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < settings.threads(); i++) {
            int id = i;
            Thread t = Thread.ofPlatform().name("emma-stress-" + id).unstarted(() -> work(id, opsDone, deadline));
            t.setUncaughtExceptionHandler((th, e) -> {
                violations.add(th.getName() + " died: " + e);
                stop.set(true);
            });
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        return new Result(List.copyOf(violations), allocations.get(), frees.get(), handedOff.get());
    }

    private void work(int id, CyclicBarrier opsDone, long deadline) {
        SplittableRandom random = new SplittableRandom(seed + 31L * id);
        List<Block> live = new ArrayList<>();
        try {
            for (int op = 0; op < settings.opsPerThread() && !stop.get(); op++) {
                if ((op & 63) == 0 && System.nanoTime() > deadline) {
                    break;
                }
                drainInbox(id);
                boolean allocate = live.isEmpty()
                        || (live.size() < settings.maxLivePerThread() && random.nextInt(100) < 55);
                if (allocate) {
                    Block b = allocateOne(random);
                    if (b != null) {
                        live.add(b);
                    }
                } else {
                    Block b = live.remove(random.nextInt(live.size()));
                    if (settings.threads() > 1 && random.nextDouble() < settings.handOffShare()) {
                        int to = (id + 1 + random.nextInt(settings.threads() - 1)) % settings.threads();
                        inboxes.get(to).add(b);
                        handedOff.incrementAndGet();
                    } else {
                        checkAndFree(b);
                    }
                }
            }
        } finally {
            awaitQuietly(opsDone); // no thread hands off after this
            drainInbox(id);
            if (!stop.get()) {
                live.forEach(this::checkAndFree);
            }
        }
    }

    private Block allocateOne(SplittableRandom random) {
        long size = Sizes.logUniform(random, settings.minSize(), settings.maxSize());
        long address = allocator.allocate(size);
        allocations.incrementAndGet();
        String problem = ranges.add(address, address == 0 ? size : allocator.extent(address, size));
        if (problem != null) {
            fail(problem);
            return null;
        }
        Patterns.fill(address, size, address);
        return new Block(address, size);
    }

    private void drainInbox(int id) {
        Block b;
        while ((b = inboxes.get(id).poll()) != null) {
            if (!stop.get()) {
                checkAndFree(b);
            }
        }
    }

    private void checkAndFree(Block b) {
        long bad = Patterns.firstMismatch(b.address(), b.size(), b.address());
        if (bad >= 0) {
            fail("block " + Patterns.hex(b.address()) + " (" + b.size() + " B) was overwritten at offset " + bad
                    + " while live");
            return;
        }
        ranges.remove(b.address());
        allocator.free(b.address());
        frees.incrementAndGet();
    }

    private void fail(String problem) {
        violations.add(problem);
        stop.set(true);
    }

    private static void awaitQuietly(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
    }
}
