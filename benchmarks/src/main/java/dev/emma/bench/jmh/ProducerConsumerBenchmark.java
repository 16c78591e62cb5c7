package dev.emma.bench.jmh;

import dev.emma.bench.memory.AddressRing;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cross-thread frees: one thread allocates and hands each block over a ring to a second thread,
 * which frees it. Read the {@code producer} score: blocks allocated (and freed by the other thread)
 * per microsecond. When the ring stays full the producer frees the block itself rather than wait
 * forever (JMH may stop the consumer first at the end of an iteration).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Group)
public class ProducerConsumerBenchmark {

    private static final int PATIENCE = 10_000;

    @Param({"64", "4096"})
    public long size;

    private final AddressRing ring = new AddressRing(12);

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long producer(Allocators allocators) {
        long address = allocators.memory.allocate(size);
        for (int spins = 0; !ring.offer(address); spins++) {
            if (spins == PATIENCE) {
                allocators.memory.free(address);
                return 0;
            }
            Thread.onSpinWait();
        }
        return address;
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long consumer(Allocators allocators) {
        long address = ring.poll();
        if (address != 0) {
            allocators.memory.free(address);
        } else {
            Thread.onSpinWait();
        }
        return address;
    }

    @TearDown(Level.Iteration)
    public void drain(Allocators allocators) {
        for (long address; (address = ring.poll()) != 0; ) {
            allocators.memory.free(address);
        }
    }
}
