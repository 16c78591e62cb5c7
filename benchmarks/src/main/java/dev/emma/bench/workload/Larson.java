package dev.emma.bench.workload;

import dev.emma.bench.memory.AddressRing;
import dev.emma.bench.memory.NativeMemory;
import dev.emma.bench.memory.Pages;
import dev.emma.bench.memory.SizeTable;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;

/**
 * Larson-like churn (after Larson and Krishnan's server benchmark): each thread keeps a set of
 * live blocks and replaces a random one at each step with a block of a log-uniform size in
 * 16 B–64 KiB, writing its pages. One block in {@code handoffEvery} goes to the next thread, which
 * frees it: cross-thread frees. Throughput is replacements per second, all threads together.
 *
 * <p>The hand-over rings are short ({@code ringLog2=6}: 64 blocks each): a block that finds its
 * ring full stays in its slot. With 4096-block rings a descheduled thread let up to 2 x 4096 blocks
 * (about 64 MiB at the mean 7.9 KiB) pile up in flight, so the peak live set, and with it peak RSS,
 * depended on the scheduler and on each allocator's speed (measured on 2 cores: 27 MB peak under
 * glibc, 45 MiB under the Emma core in the same workload).
 *
 * <p>Arguments: {@code memory=unsafe|emma threads=4 slots=1000 seconds=3 handoffEvery=8 ringLog2=6
 * minSize=16 maxSize=65536 breakdown=false}; a size range narrowed to one tier ({@code maxSize=8192}:
 * small pages only, {@code minSize=9000}: medium pages only) shows which tier a gap comes from. A
 * diagnostic, {@code breakdown=true}: thread 0 samples every 64 Ki steps, and a
 * {@code BREAKDOWN} line gives the process's RSS and Emma's resident, live and mapped bytes at the
 * sample with the highest RSS ({@link PeakBreakdown}).
 */
public final class Larson {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("memory", "threads", "slots", "seconds", "handoffEvery", "ringLog2", "breakdown", "minSize", "maxSize"));
        NativeMemory memory = NativeMemory.named(args.string("memory", "unsafe"));
        int threads = args.integer("threads", 4);
        int slots = args.integer("slots", 1000);
        long runNanos = (long) (args.decimal("seconds", 3) * 1e9);
        int handoffEvery = args.integer("handoffEvery", 8);
        int ringLog2 = args.integer("ringLog2", 6);
        int minSize = args.integer("minSize", 16);
        int maxSize = args.integer("maxSize", 64 << 10);
        if (ringLog2 < 0 || ringLog2 > 20) {
            throw new IllegalArgumentException("ringLog2 must be in 0..20, was " + ringLog2);
        }

        AddressRing[] rings = new AddressRing[threads]; // rings[i]: from thread i to thread i+1
        for (int i = 0; i < threads; i++) {
            rings[i] = new AddressRing(ringLog2);
        }
        CyclicBarrier allStopped = new CyclicBarrier(threads);
        PeakBreakdown breakdown = PeakBreakdown.ifRequested(args);
        ResultLine.awaitAgent();
        ResultLine.phase("run");
        Workers.Outcome outcome = Workers.run(threads, "larson", index -> {
            AddressRing outbox = rings[index];
            AddressRing inbox = rings[(index + threads - 1) % threads];
            SizeTable sizes = new SizeTable(minSize, maxSize, 16, 42 + index);
            long[] live = new long[slots];
            long deadline = System.nanoTime() + runNanos;
            int random = 0x9E3779B9 * (index + 1);
            long steps = 0;
            while ((steps & 255) != 0 || System.nanoTime() < deadline) {
                if (breakdown != null && index == 0 && (steps & 0xffff) == 0) {
                    breakdown.sample();
                }
                for (long handed; (handed = inbox.poll()) != 0; ) {
                    memory.free(handed);
                }
                random ^= random << 13;
                random ^= random >>> 17;
                random ^= random << 5;
                int slot = (random & 0x7fffffff) % slots;
                memory.free(live[slot]); // free(0) is a no-op for every allocator here
                long size = sizes.get((int) steps);
                long address = memory.allocate(size);
                Pages.touch(address, size, address);
                live[slot] = steps % handoffEvery == 0 && outbox.offer(address) ? 0 : address;
                steps++;
            }
            for (long address : live) {
                memory.free(address);
            }
            await(allStopped);
            for (long handed; (handed = inbox.poll()) != 0; ) {
                memory.free(handed);
            }
            return steps;
        });
        if (breakdown != null) {
            breakdown.print();
        }
        new ResultLine()
                .put("throughput", outcome.perSecond())
                .put("unit", "ops/s")
                .put("operations", outcome.operations())
                .put("seconds", outcome.seconds())
                .put("threads", threads)
                .put("ringBlocks", 1L << ringLog2) // most blocks in flight per thread: part of the live set
                .print();
    }

    static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
