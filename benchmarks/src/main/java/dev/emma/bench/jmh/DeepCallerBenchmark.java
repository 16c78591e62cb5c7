package dev.emma.bench.jmh;

import dev.emma.bench.memory.NativeMemory;
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
 * {@link BatchBenchmark} with the allocator called three frames deeper, as a library calls
 * {@code Unsafe} from inside its own helpers (Netty: a pool, {@code PlatformDependent},
 * {@code PlatformDependent0}). C2 inlines plain methods only within {@code MaxInlineLevel} frames of
 * the method it compiles, so this shows what happens to a path inlined into its caller when the
 * caller is deeper (agent/README.md, "Cost of the agent path").
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class DeepCallerBenchmark {

    @Param({"64", "4096"})
    public long size;

    private final long[] blocks = new long[BatchBenchmark.BATCH];

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BatchBenchmark.BATCH)
    public long deep1(Allocators allocators) {
        NativeMemory memory = allocators.memory;
        for (int i = 0; i < BatchBenchmark.BATCH; i++) {
            blocks[i] = allocate3(memory, size);
        }
        long sum = 0;
        for (int i = 0; i < BatchBenchmark.BATCH; i++) {
            sum += blocks[i];
            free3(memory, blocks[i]);
        }
        return sum;
    }

    /** {@link #deep1} with six frames between the loop and the allocator instead of three. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BatchBenchmark.BATCH)
    public long deep2(Allocators allocators) {
        NativeMemory memory = allocators.memory;
        for (int i = 0; i < BatchBenchmark.BATCH; i++) {
            blocks[i] = allocate6(memory, size);
        }
        long sum = 0;
        for (int i = 0; i < BatchBenchmark.BATCH; i++) {
            sum += blocks[i];
            free6(memory, blocks[i]);
        }
        return sum;
    }

    private static long allocate6(NativeMemory memory, long size) {
        return allocate5(memory, size);
    }

    private static long allocate5(NativeMemory memory, long size) {
        return allocate4(memory, size);
    }

    private static long allocate4(NativeMemory memory, long size) {
        return allocate3(memory, size);
    }

    private static void free6(NativeMemory memory, long address) {
        free5(memory, address);
    }

    private static void free5(NativeMemory memory, long address) {
        free4(memory, address);
    }

    private static void free4(NativeMemory memory, long address) {
        free3(memory, address);
    }

    private static long allocate3(NativeMemory memory, long size) {
        return allocate2(memory, size);
    }

    private static long allocate2(NativeMemory memory, long size) {
        return allocate1(memory, size);
    }

    private static long allocate1(NativeMemory memory, long size) {
        return memory.allocate(size);
    }

    private static void free3(NativeMemory memory, long address) {
        free2(memory, address);
    }

    private static void free2(NativeMemory memory, long address) {
        free1(memory, address);
    }

    private static void free1(NativeMemory memory, long address) {
        memory.free(address);
    }
}
