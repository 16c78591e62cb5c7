package dev.emma.bench.workload;

import dev.emma.bench.memory.BlockList;
import dev.emma.bench.memory.SizeTable;
import dev.emma.bench.proc.ProcStatus;
import java.util.Set;

/**
 * Spike and idle: after a short settle, {@code threads} threads allocate {@code totalMiB} of mixed
 * buffers (log-uniform 256 B–1 MiB, every page written), each thread's buffers are freed by
 * another thread, then the process sits idle. The question is how much resident memory the
 * allocator gives back: {@code returnedShare} = (peak - after idle) / (peak - before spike).
 * Throughput is the spike's allocation rate in MiB/s.
 *
 * <p>Arguments: {@code memory=direct|unsafe|emma totalMiB=1024 threads=2 idleSeconds=5}.
 */
public final class SpikeIdle {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("memory", "totalMiB", "threads", "idleSeconds"));
        String memory = args.string("memory", "direct");
        long total = args.number("totalMiB", 1024) << 20;
        int threads = args.integer("threads", 2);
        long idleMillis = (long) (args.decimal("idleSeconds", 5) * 1000);

        BlockList[] lists = new BlockList[threads];
        for (int i = 0; i < threads; i++) {
            lists[i] = BlockList.of(memory);
        }
        Thread.sleep(500); // let JIT and GC threads settle before the baseline
        ResultLine.phase("baseline");
        long baseline = ProcStatus.self().rssBytes();

        ResultLine.phase("spike");
        Workers.Outcome spike = Workers.run(threads, "spike", index -> {
            SizeTable sizes = new SizeTable(256, 1 << 20, 14, 100 + index);
            for (int i = 0; lists[index].bytes() < total / threads; i++) {
                lists[index].add(sizes.get(i));
            }
            return lists[index].bytes();
        });
        long peak = ProcStatus.self().rssBytes();

        ResultLine.phase("free");
        Workers.Outcome free = Workers.run(threads, "free", index -> {
            lists[(index + 1) % threads].freeAll(); // cross-thread: nobody frees its own spike
            return 1;
        });
        long afterFree = ProcStatus.self().rssBytes();

        ResultLine.phase("idle");
        Thread.sleep(idleMillis);
        long afterIdle = ProcStatus.self().rssBytes();
        ResultLine.phase("end");

        new ResultLine()
                .put("throughput", spike.operations() / (double) (1 << 20) / spike.seconds())
                .put("unit", "MiB/s")
                .put("spikeSeconds", spike.seconds())
                .put("freeSeconds", free.seconds())
                .put("rssBeforeBytes", baseline)
                .put("rssAtPeakBytes", peak)
                .put("rssAfterFreeBytes", afterFree)
                .put("rssAfterIdleBytes", afterIdle)
                .put("returnedShare", (peak - afterIdle) / (double) Math.max(1, peak - baseline))
                .print();
    }
}
