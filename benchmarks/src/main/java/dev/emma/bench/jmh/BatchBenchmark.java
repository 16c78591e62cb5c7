package dev.emma.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@value #BATCH} allocations, then their frees in the same order: the allocator must hand out
 * fresh blocks instead of recycling the last one, and frees arrive oldest first. One operation is
 * one allocate+free pair.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class BatchBenchmark {

    static final int BATCH = 64;

    @Param({"64", "1024", "4096", "65536", "1048576"})
    public long size;

    private final long[] blocks = new long[BATCH];

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public long batch1(Allocators allocators) {
        return batch(allocators, size, blocks);
    }

    /** {@value #BATCH} allocations into {@code blocks}, then their frees, oldest first. */
    static long batch(Allocators allocators, long size, long[] blocks) {
        for (int i = 0; i < BATCH; i++) {
            blocks[i] = allocators.memory.allocate(size);
        }
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += blocks[i];
            allocators.memory.free(blocks[i]);
        }
        return sum;
    }
}
