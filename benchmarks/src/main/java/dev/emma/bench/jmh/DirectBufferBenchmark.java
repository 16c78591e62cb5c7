package dev.emma.bench.jmh;

import dev.emma.bench.memory.UnsafeMemory;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ByteBuffer.allocateDirect} freed at once with {@code Unsafe.invokeCleaner}: the JDK's
 * whole path (accounting in {@code Bits.reserveMemory}, allocation, zeroing, the Cleaner). There
 * is no "Emma core" variant: only the agent puts Emma under a direct buffer.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class DirectBufferBenchmark {

    @Param({"4096", "65536", "1048576"})
    public int size;

    @Setup(Level.Trial)
    public void awaitAgent() {
        AgentCheck.awaitAgent();
    }

    @Benchmark
    @Threads(1)
    public ByteBuffer allocateDirect1() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(size);
        buffer.put(0, (byte) 1);
        UnsafeMemory.freeDirect(buffer);
        return buffer;
    }
}
