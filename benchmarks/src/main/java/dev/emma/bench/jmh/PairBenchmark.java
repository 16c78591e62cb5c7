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
 * One allocate immediately followed by its free, the fastest path of every allocator, on one
 * thread. {@link ThreadedPairBenchmark} does the same on 2 and 4 threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class PairBenchmark {

    @Param({"64", "1024", "4096", "65536", "1048576"})
    public long size;

    @Benchmark
    @Threads(1)
    public long pair1(Allocators allocators) {
        return pair(allocators, size);
    }

    static long pair(Allocators allocators, long size) {
        long address = allocators.memory.allocate(size);
        allocators.memory.free(address);
        return address;
    }
}
