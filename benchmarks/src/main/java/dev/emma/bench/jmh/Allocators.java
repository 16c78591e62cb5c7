package dev.emma.bench.jmh;

import dev.emma.bench.memory.NativeMemory;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Which allocator a benchmark calls: {@code unsafe} is {@code sun.misc.Unsafe} (glibc by default,
 * jemalloc or mimalloc under {@code LD_PRELOAD}, Emma under the agent), {@code emma} is the Emma
 * core called directly. One implementation per fork, so the call site stays monomorphic.
 */
@State(Scope.Benchmark)
public class Allocators {

    @Param({"unsafe", "emma"})
    public String impl;

    public NativeMemory memory;

    @Setup(Level.Trial)
    public void setUp() {
        AgentCheck.awaitAgent();
        memory = NativeMemory.named(impl);
    }
}
