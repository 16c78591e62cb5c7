package dev.emma.bench.jmh;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
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
 * libc's {@code malloc} and {@code free} called through FFM Linker downcalls bound as Netty 4.2 binds
 * them ({@code long malloc(long)}, {@code void free(long)}, in static finals): one allocate and its
 * free. Without the agent that is glibc behind a downcall; with {@code -javaagent:emma-agent.jar=linker=all}
 * the handles are routed to Emma (this class is no known caller, hence {@code all}): the difference is
 * the Linker route's cost per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class LinkerBenchmark {

    @Param({"64", "4096"})
    public long size;

    /** Bound when first used, after the agent is active: handles bound before stay native. */
    static final class Libc {
        static final MethodHandle MALLOC = bind("malloc", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        static final MethodHandle FREE = bind("free", FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));

        private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
            Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), descriptor);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        AgentCheck.awaitAgent();
        long probe = (long) Libc.MALLOC.invokeExact(16L);
        Libc.FREE.invokeExact(probe);
    }

    @Benchmark
    @Threads(1)
    public long mallocFree() throws Throwable {
        long address = (long) Libc.MALLOC.invokeExact(size);
        Libc.FREE.invokeExact(address);
        return address;
    }
}
