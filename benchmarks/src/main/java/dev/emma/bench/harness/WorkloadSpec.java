package dev.emma.bench.harness;

import java.util.List;
import java.util.function.Function;

/**
 * A whole-process workload: which main class, its arguments for a configuration, what its
 * throughput means, and the JVM options it needs besides {@link ChildJvm#COMMON_JVM_ARGS} and
 * {@link ChildJvm#OWN_UNSAFE_JVM_ARG} (a library's own, the same in every arm).
 */
record WorkloadSpec(String id, String title, String mainClass, Function<AllocatorConfig, List<String>> args,
                    String unit, long timeoutMillis, List<String> jvmArgs) {

    static final String PACKAGE = "dev.emma.bench.workload.";

    /** Apache Arrow's MemoryUtil wraps its buffers in DirectByteBuffers for IPC writes (reflection into java.nio). */
    static final List<String> ARROW_JVM_ARGS = List.of("--add-opens=java.base/java.nio=ALL-UNNAMED");

    WorkloadSpec(String id, String title, String mainClass, Function<AllocatorConfig, List<String>> args, String unit,
                 long timeoutMillis) {
        this(id, title, mainClass, args, unit, timeoutMillis, List.of());
    }

    /**
     * The four allocation workloads, a control, and a third-party library's own use of off-heap
     * memory (Apache Arrow); {@code quick} shortens their runs (the spike's 5 s idle stays). Two
     * threads each (one producer/consumer pair): one per core here, as the core issue measures.
     * The control ("fixed-cost") runs Larson's loop with next to nothing live, so its peak RSS is
     * what an arm costs the process before any live set (for Emma: FFM's linking on the Java heap,
     * the JIT's code and arenas, metaspace): the part of a peak-RSS gap that no allocator design
     * inside the JVM removes.
     */
    static List<WorkloadSpec> all(boolean quick) {
        String seconds = quick ? "1.5" : "2.5";
        return List.of(
                new WorkloadSpec("larson", "Larson-like churn (2 threads, 16 B-64 KiB, 1/8 freed by another thread over 64-block rings)",
                        PACKAGE + "Larson", c -> List.of("memory=" + c.rawMemory(), "threads=2", "seconds=" + seconds),
                        "ops/s", 60_000),
                new WorkloadSpec("xmalloc", "Producer/consumer (1 pair, 16 B-4 KiB, every free cross-thread)",
                        PACKAGE + "ProducerConsumer", c -> List.of("memory=" + c.rawMemory(), "pairs=1", "seconds=" + seconds),
                        "blocks/s", 60_000),
                new WorkloadSpec("thread-churn", "Thread churn (waves of 2 threads, 500 blocks each, half handed on)",
                        PACKAGE + "ThreadChurn", c -> List.of("memory=" + c.rawMemory(), "wave=2", "blocks=500", "seconds=" + seconds),
                        "threads/s", 60_000),
                new WorkloadSpec("fixed-cost", "Fixed cost (Larson's loop with 8 live blocks of 16-256 B: what each arm's process holds with next to nothing live)",
                        PACKAGE + "Larson", c -> List.of("memory=" + c.rawMemory(), "threads=2", "slots=4", "maxSize=256", "seconds=" + seconds),
                        "ops/s", 60_000),
                new WorkloadSpec("spike-idle", "Spike and idle (" + (quick ? "512 MiB" : "1 GiB")
                        + " of 256 B-1 MiB buffers from 2 threads, freed cross-thread, then 5 s idle)",
                        PACKAGE + "SpikeIdle", c -> List.of("memory=" + c.bufferMemory(), "totalMiB=" + (quick ? 512 : 1024),
                        "threads=2", "idleSeconds=5"), "MiB/s", 90_000),
                // memory=unsafe: Arrow's own Unsafe allocation manager, unchanged; memory=emma: the core behind a
                // small Arrow AllocationManager (EmmaArrowAllocationManager)
                new WorkloadSpec("arrow", "Apache Arrow record batches (2 threads, 1,000-65,536 rows each: built, written as an IPC stream, read back)",
                        PACKAGE + "ArrowBatches", c -> List.of("memory=" + c.rawMemory(), "threads=2", "seconds=" + seconds),
                        "batches/s", 60_000, ARROW_JVM_ARGS));
    }
}
