package dev.emma.bench.jmh;

import dev.emma.bench.memory.Pages;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A buffer grown by doubling from 16 B to 1 MiB with {@code reallocate} (as a growing
 * {@code StringBuilder}-like off-heap buffer would), written at its end after each step, then
 * freed. One operation is the whole growth: 16 reallocations and a free.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ReallocBenchmark {

    @Benchmark
    @Threads(1)
    public long growTo1MiB(Allocators allocators) {
        long size = 16;
        long address = allocators.memory.allocate(size);
        Pages.touch(address, size, size);
        while (size < 1 << 20) {
            size *= 2;
            address = allocators.memory.reallocate(address, size);
            Pages.touch(address, size, size);
        }
        allocators.memory.free(address);
        return address;
    }
}
