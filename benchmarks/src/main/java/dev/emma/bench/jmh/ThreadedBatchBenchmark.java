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
 * {@link BatchBenchmark} on 2 and 4 threads (each thread its own batch), summed over threads: the
 * agent section of docs/benchmarks.md compares the arms of an A/B experiment on it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class ThreadedBatchBenchmark {

    @Param({"64", "4096"})
    public long size;

    private final long[] blocks = new long[BatchBenchmark.BATCH];

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BatchBenchmark.BATCH)
    public long batch2(Allocators allocators) {
        return BatchBenchmark.batch(allocators, size, blocks);
    }

    @Benchmark
    @Threads(4)
    @OperationsPerInvocation(BatchBenchmark.BATCH)
    public long batch4(Allocators allocators) {
        return BatchBenchmark.batch(allocators, size, blocks);
    }
}
