package dev.emma.bench.workload;

import dev.emma.bench.memory.AddressRing;
import dev.emma.bench.memory.NativeMemory;
import dev.emma.bench.memory.Pages;
import dev.emma.bench.memory.SizeTable;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;

/**
 * Producer/consumer (after xmalloc-test): in each pair one thread only allocates (log-uniform
 * 16 B–4 KiB, first word written) and the other only frees, so every free is a cross-thread free
 * and the allocating thread's caches never get their blocks back directly. Throughput is blocks
 * freed per second over all pairs.
 *
 * <p>Arguments: {@code memory=unsafe|emma pairs=2 seconds=3 breakdown=false}. A diagnostic,
 * {@code breakdown=true}: the first producer samples every 64 Ki blocks, and a {@code BREAKDOWN}
 * line gives the RSS and Emma's resident, live and mapped bytes at the highest RSS ({@link PeakBreakdown}).
 */
public final class ProducerConsumer {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("memory", "pairs", "seconds", "breakdown"));
        NativeMemory memory = NativeMemory.named(args.string("memory", "unsafe"));
        int pairs = args.integer("pairs", 2);
        long runNanos = (long) (args.decimal("seconds", 3) * 1e9);

        AddressRing[] rings = new AddressRing[pairs];
        for (int i = 0; i < pairs; i++) {
            rings[i] = new AddressRing(12);
        }
        AtomicIntegerArray producerDone = new AtomicIntegerArray(pairs);
        PeakBreakdown breakdown = PeakBreakdown.ifRequested(args);
        ResultLine.awaitAgent();
        ResultLine.phase("run");
        Workers.Outcome outcome = Workers.run(2 * pairs, "xmalloc", index -> {
            int pair = index / 2;
            AddressRing ring = rings[pair];
            if (index % 2 == 0) {
                produce(memory, ring, new SizeTable(16, 4096, 16, 7 + pair), System.nanoTime() + runNanos,
                        pair == 0 ? breakdown : null);
                producerDone.set(pair, 1);
                return 0;
            }
            return consume(memory, ring, () -> producerDone.get(pair) == 1);
        });
        if (breakdown != null) {
            breakdown.print();
        }
        new ResultLine()
                .put("throughput", outcome.perSecond())
                .put("unit", "blocks/s")
                .put("operations", outcome.operations())
                .put("seconds", outcome.seconds())
                .put("threads", 2 * pairs)
                .print();
    }

    private static void produce(NativeMemory memory, AddressRing ring, SizeTable sizes, long deadline,
                                PeakBreakdown breakdown) {
        for (int i = 0; (i & 255) != 0 || System.nanoTime() < deadline; i++) {
            if (breakdown != null && (i & 0xffff) == 0) {
                breakdown.sample();
            }
            long size = sizes.get(i);
            long address = memory.allocate(size);
            Pages.touch(address, Math.min(size, 16), address);
            for (int spins = 0; !ring.offer(address); spins++) {
                backOff(spins);
            }
        }
    }

    private static long consume(NativeMemory memory, AddressRing ring, BooleanSupplier producerDone) {
        long freed = 0;
        for (int spins = 0; ; ) {
            long address = ring.poll();
            if (address != 0) {
                memory.free(address);
                freed++;
                spins = 0;
            } else if (producerDone.getAsBoolean()) { // seen after its last offer: drain and stop
                while ((address = ring.poll()) != 0) {
                    memory.free(address);
                    freed++;
                }
                return freed;
            } else {
                backOff(spins++);
            }
        }
    }

    /** Spins briefly, then yields: on 2 cores a spinning waiter would steal the other side's CPU. */
    private static void backOff(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
