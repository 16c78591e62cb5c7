package dev.emma.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link PairBenchmark} on 2 threads and on 4 (N = twice the cores of the 2-core machines this
 * project runs on: threads are preempted while they hold allocator state). Throughput is summed
 * over all threads, so perfect scaling on 2 cores doubles the one-thread figure.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class ThreadedPairBenchmark {

    @Param({"64", "4096"})
    public long size;

    @Benchmark
    @Threads(2)
    public long pair2(Allocators allocators) {
        return PairBenchmark.pair(allocators, size);
    }

    @Benchmark
    @Threads(4)
    public long pair4(Allocators allocators) {
        return PairBenchmark.pair(allocators, size);
    }
}
