package dev.emma.bench.workload;

import dev.emma.bench.memory.NativeMemory;
import dev.emma.bench.memory.Pages;
import dev.emma.bench.memory.SizeTable;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Thread churn: waves of short-lived platform threads. Each allocates {@code blocks} blocks
 * (log-uniform 16 B–64 KiB, pages written), frees half, leaves the other half to a later thread,
 * frees a half left by an earlier one, and dies. Allocators with per-thread state must reclaim a
 * dead thread's memory (or reuse it) instead of growing. Throughput is threads per second.
 *
 * <p>Arguments: {@code memory=unsafe|emma wave=4 blocks=500 seconds=3 breakdown=false}. A diagnostic,
 * {@code breakdown=true}: each wave waits until all its threads hold their blocks, and at the wave
 * where the process's RSS was highest a {@code BREAKDOWN} line says how much of it was the Java
 * heap and (memory=emma) Emma's resident, live and mapped bytes ({@link PeakBreakdown}).
 */
public final class ThreadChurn {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("memory", "wave", "blocks", "seconds", "breakdown"));
        NativeMemory memory = NativeMemory.named(args.string("memory", "unsafe"));
        int wave = args.integer("wave", 4);
        int blocks = args.integer("blocks", 500);
        long runNanos = (long) (args.decimal("seconds", 3) * 1e9);
        SizeTable sizes = new SizeTable(16, 64 << 10, 14, 11);
        ConcurrentLinkedQueue<long[]> leftBehind = new ConcurrentLinkedQueue<>();
        PeakBreakdown breakdown = PeakBreakdown.ifRequested(args);
        ResultLine.awaitAgent();

        ResultLine.phase("run");
        long start = System.nanoTime();
        long threads = 0;
        while (System.nanoTime() - start < runNanos) {
            java.util.concurrent.CyclicBarrier peak = breakdown == null ? null
                    : new java.util.concurrent.CyclicBarrier(wave, breakdown::sample);
            Workers.run(wave, "churn", index -> {
                long[] mine = new long[blocks];
                for (int i = 0; i < blocks; i++) {
                    long size = sizes.get(i * 31 + index);
                    mine[i] = memory.allocate(size);
                    Pages.touch(mine[i], size, i);
                }
                if (peak != null) {
                    await(peak);
                }
                long[] handed = new long[blocks / 2];
                for (int i = 0; i < blocks; i++) {
                    if (i % 2 == 0) {
                        memory.free(mine[i]);
                    } else {
                        handed[i / 2] = mine[i];
                    }
                }
                long[] earlier = leftBehind.poll();
                leftBehind.add(handed);
                if (earlier != null) {
                    for (long address : earlier) {
                        memory.free(address);
                    }
                }
                return 1;
            });
            threads += wave;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (long[] rest; (rest = leftBehind.poll()) != null; ) {
            for (long address : rest) {
                memory.free(address);
            }
        }
        if (breakdown != null) {
            breakdown.print();
        }
        new ResultLine()
                .put("throughput", threads / seconds)
                .put("unit", "threads/s")
                .put("operations", threads)
                .put("seconds", seconds)
                .put("blocksPerThread", blocks)
                .print();
    }

    private static void await(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
