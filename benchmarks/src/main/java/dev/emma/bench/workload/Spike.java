package dev.emma.bench.workload;

import dev.emma.bench.memory.BlockList;
import dev.emma.bench.memory.SizeTable;

/**
 * A memory spike: {@code threads} threads each fill a {@link BlockList} with log-uniform
 * 256 B–1 MiB blocks (every page written) up to their share of {@code totalBytes}; then each
 * thread frees another thread's blocks, so no spike block is freed by the thread that made it.
 */
final class Spike {

    /** Wall time of the allocation and of the free phase, and the bytes allocated. */
    record Timing(double allocateSeconds, double freeSeconds, long bytes) {
    }

    private final BlockList[] lists;
    private Workers.Outcome allocated;

    Spike(String memory, int threads) {
        lists = new BlockList[threads];
        for (int i = 0; i < threads; i++) {
            lists[i] = BlockList.of(memory);
        }
    }

    /**
     * One block allocated and freed before the baseline, in every arm: an allocator's one-time start
     * (the Emma core binds its syscalls with FFM at its first mapping: about 4 MiB of Java heap,
     * metaspace and JIT that stay with the JVM) is then not counted as memory kept after the spike.
     * Through the agent Emma has started before {@code main} anyway.
     */
    void warmUp() {
        lists[0].add(4096);
        lists[0].freeAll();
    }

    void allocate(long totalBytes) throws InterruptedException {
        int threads = lists.length;
        allocated = Workers.run(threads, "spike", index -> {
            SizeTable sizes = new SizeTable(256, 1 << 20, 14, 100 + index);
            for (int i = 0; lists[index].bytes() < totalBytes / threads; i++) {
                lists[index].add(sizes.get(i));
            }
            return lists[index].bytes();
        });
    }

    Timing free() throws InterruptedException {
        int threads = lists.length;
        Workers.Outcome freed = Workers.run(threads, "free", index -> {
            lists[(index + 1) % threads].freeAll();
            return 1;
        });
        return new Timing(allocated.seconds(), freed.seconds(), allocated.operations());
    }
}
