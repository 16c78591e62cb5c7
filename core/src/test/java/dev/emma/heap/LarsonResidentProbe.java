package dev.emma.heap;

import dev.emma.EmmaConfig;
import dev.emma.memory.Memory;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A diagnostic, not a test: the Larson workload's loop (2 threads, 1000 live blocks each, 16 B-64 KiB
 * log-uniform, pages written, 1 block in 8 handed to the other thread over a 64-slot ring) on an
 * Allocator of its own, with {@link ChurnResidentProbe}'s page-state breakdown at the moment Emma's
 * resident memory was highest (sampled every 64 Ki steps of thread 0).
 * Run: java -cp core/target/classes:core/target/test-classes dev.emma.heap.LarsonResidentProbe seconds [producer]
 * ({@code producer}: the ProducerConsumer workload's loop instead, 16 B-4 KiB, first 16 bytes written;
 * {@code -Dprobe.byClass=true}: one row per size class, OWNED (O) or DETACHED (D), instead of per page state).
 */
public final class LarsonResidentProbe {
    public static void main(String[] argv) throws Exception {
        double seconds = Double.parseDouble(argv[0]);
        boolean producer = argv.length > 1 && argv[1].equals("producer");
        Allocator a = new Allocator(EmmaConfig.defaults());
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        int threads = 2, slots = 1000, ring = producer ? 4096 : 64;
        AtomicReferenceArray<AtomicLongArray> rings = new AtomicReferenceArray<>(threads);
        for (int i = 0; i < threads; i++) rings.set(i, new AtomicLongArray(ring));
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            ts[t] = Thread.ofPlatform().start(() -> {
                long[] sizes = new long[1 << 16];
                SplittableRandom random = new SplittableRandom(42 + index);
                long max = producer ? 4096 : 65536;
                for (int i = 0; i < sizes.length; i++) {
                    sizes[i] = Math.clamp((long) Math.exp(Math.log(16) + random.nextDouble() * (Math.log(max + 1.0) - Math.log(16))), 16, max);
                }
                AtomicLongArray out = rings.get(index), in = rings.get((index + threads - 1) % threads);
                long[] live = new long[slots];
                int r = 0x9E3779B9 * (index + 1);
                int outHead = 0, inTail = 0;
                for (long step = 0; System.nanoTime() < deadline; step++) {
                    if (index == 0 && (step & 0xffff) == 0) ChurnResidentProbe.report(a);
                    if (producer) {
                        if (index == 0) { // allocate into the ring, spin when full
                            long size = sizes[(int) step & 0xffff];
                            long x = a.allocate(size);
                            Memory.putLong(x, x);
                            while (out.get(outHead) != 0 && System.nanoTime() < deadline) Thread.onSpinWait();
                            out.set(outHead, x);
                            outHead = (outHead + 1) % ring;
                        } else {
                            long x = in.getAndSet(inTail, 0);
                            if (x != 0) { a.free(x); inTail = (inTail + 1) % ring; } else Thread.onSpinWait();
                        }
                        continue;
                    }
                    for (long x; (x = in.get(inTail)) != 0; inTail = (inTail + 1) % ring) {
                        in.set(inTail, 0);
                        a.free(x);
                    }
                    r ^= r << 13; r ^= r >>> 17; r ^= r << 5;
                    int slot = (r & 0x7fffffff) % slots;
                    if (live[slot] != 0) a.free(live[slot]);
                    long size = sizes[(int) step & 0xffff];
                    long x = a.allocate(size);
                    for (long o = 0; o < size; o += 4096) Memory.putLong(x + o, x);
                    if (step % 8 == 0 && out.get(outHead) == 0) {
                        out.set(outHead, x);
                        outHead = (outHead + 1) % ring;
                        live[slot] = 0;
                    } else {
                        live[slot] = x;
                    }
                }
            });
        }
        for (Thread t : ts) t.join();
        System.out.println("at the moment with most Emma resident memory:\n" + ChurnResidentProbe.worst);
        System.exit(0);
    }
}
