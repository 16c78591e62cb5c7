package dev.emma.bench.jmh;

import dev.emma.bench.memory.Pages;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Growth by {@code reallocate}, as growing {@code StringBuilder}-like off-heap buffers (Netty's
 * unpooled buffers without a cleaner) do. {@code growTo1MiB}: one buffer grown by doubling from
 * 16 B to 1 MiB, written at its end after each step, then freed; one operation is the whole
 * growth (16 reallocations and a free). {@code growMany}: 256 live buffers, each grown by doubling
 * from 16 B to 32 KiB and then freed and started again, round robin, so an allocator cannot serve
 * them all from a cache of freed ones; one operation is one step (an allocation, a reallocation or
 * a free).
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

    /** {@code growMany}'s buffers, per thread. */
    @State(Scope.Thread)
    public static class Buffers {
        static final int COUNT = 256;
        static final long MAX = 32 << 10;
        final long[] address = new long[COUNT];
        final long[] size = new long[COUNT];
        int next;

        @TearDown(Level.Trial)
        public void freeAll(Allocators allocators) {
            for (int i = 0; i < COUNT; i++) {
                if (address[i] != 0) {
                    allocators.memory.free(address[i]);
                    address[i] = 0;
                }
            }
        }
    }

    @Benchmark
    @Threads(1)
    public long growMany(Allocators allocators, Buffers buffers) {
        int i = buffers.next;
        buffers.next = (i + 1) & (Buffers.COUNT - 1);
        long address = buffers.address[i];
        long size = buffers.size[i];
        if (address == 0) {
            size = 16;
            address = allocators.memory.allocate(size);
        } else if (size == Buffers.MAX) {
            allocators.memory.free(address);
            buffers.address[i] = 0;
            return address;
        } else {
            size *= 2;
            address = allocators.memory.reallocate(address, size);
        }
        Pages.touch(address, size, size);
        buffers.address[i] = address;
        buffers.size[i] = size;
        return address;
    }
}
