package dev.emma.bench.workload;

import dev.emma.bench.memory.ObjectRing;
import dev.emma.bench.memory.Pages;
import dev.emma.bench.memory.SizeTable;
import dev.emma.bench.memory.UnsafeMemory;
import dev.emma.bench.proc.ProcStatus;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;

/**
 * The A/B demo's workload (scripts/ab-demo runs it without the agent, with the agent in
 * {@code mode=passthrough} and in {@code mode=emma}): nothing but {@code ByteBuffer.allocateDirect}
 * and {@code invokeCleaner}, as an unmodified service would do.
 * <ol>
 * <li>churn: {@code threads} threads replace direct buffers (log-uniform 64 B–256 KiB, pages
 * written) in a working set of 256 each for {@code seconds}; one in 8 goes to the next thread,
 * which frees it;</li>
 * <li>a {@link Spike} of {@code spikeMiB} of 256 B–1 MiB buffers, freed cross-thread;</li>
 * <li>{@code idleSeconds} of idleness, then RSS and Emma's counters are read.</li>
 * </ol>
 */
public final class DirectBufferDemo {

    private static final int WORKING_SET = 256;

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("threads", "seconds", "spikeMiB", "idleSeconds"));
        int threads = args.integer("threads", 4);
        long runNanos = (long) (args.decimal("seconds", 3) * 1e9);
        ResultLine.awaitAgent();

        ResultLine.phase("churn");
        Workers.Outcome churn = churn(threads, runNanos);
        ResultLine.phase("spike");
        Spike spike = new Spike("direct", Math.min(threads, 2));
        spike.allocate(args.number("spikeMiB", 512) << 20);
        spike.free();
        ResultLine.phase("idle");
        Thread.sleep((long) (args.decimal("idleSeconds", 5) * 1000));
        long afterIdle = ProcStatus.self().rssBytes();
        Optional<EmmaCounters.Counters> emma = EmmaCounters.read();
        ResultLine.phase("end");

        ResultLine line = new ResultLine()
                .put("throughput", churn.perSecond())
                .put("unit", "buffers/s")
                .put("rssAfterIdleBytes", afterIdle);
        emma.ifPresent(c -> line.put("emmaLiveBytes", c.liveBytes()).put("emmaMappedBytes", c.mappedBytes())
                .put("emmaSource", c.source().replace(' ', '_')));
        line.print();
    }

    private static Workers.Outcome churn(int threads, long runNanos) throws InterruptedException {
        @SuppressWarnings("unchecked")
        ObjectRing<ByteBuffer>[] rings = new ObjectRing[threads]; // rings[i]: from thread i to thread i+1
        for (int i = 0; i < threads; i++) {
            rings[i] = new ObjectRing<>(10);
        }
        CyclicBarrier allStopped = new CyclicBarrier(threads);
        return Workers.run(threads, "demo", index -> {
            ObjectRing<ByteBuffer> outbox = rings[index];
            ObjectRing<ByteBuffer> inbox = rings[(index + threads - 1) % threads];
            SizeTable sizes = new SizeTable(64, 256 << 10, 14, 5 + index);
            ByteBuffer[] live = new ByteBuffer[WORKING_SET];
            long deadline = System.nanoTime() + runNanos;
            long steps = 0;
            while ((steps & 63) != 0 || System.nanoTime() < deadline) {
                for (ByteBuffer handed; (handed = inbox.poll()) != null; ) {
                    UnsafeMemory.freeDirect(handed);
                }
                int slot = (int) ((steps * 0x9E3779B97F4A7C15L) >>> 56) % WORKING_SET;
                if (live[slot] != null) {
                    UnsafeMemory.freeDirect(live[slot]);
                }
                int size = (int) sizes.get((int) steps);
                ByteBuffer buffer = ByteBuffer.allocateDirect(size);
                for (int offset = 0; offset + 8 <= size; offset += (int) Pages.PAGE) {
                    buffer.putLong(offset, steps);
                }
                live[slot] = steps % 8 == 0 && outbox.offer(buffer) ? null : buffer;
                steps++;
            }
            for (ByteBuffer buffer : live) {
                if (buffer != null) {
                    UnsafeMemory.freeDirect(buffer);
                }
            }
            Larson.await(allStopped);
            for (ByteBuffer handed; (handed = inbox.poll()) != null; ) {
                UnsafeMemory.freeDirect(handed);
            }
            return steps;
        });
    }
}
