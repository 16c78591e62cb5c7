package dev.emma.bench.memory;

/**
 * Raw off-heap blocks by address: the one interface the benchmarks and workloads allocate through,
 * so that the same code measures {@code sun.misc.Unsafe} (glibc, a preloaded malloc, or Emma via the
 * agent) and the Emma core called directly.
 */
public interface NativeMemory {

    long allocate(long size);

    long reallocate(long address, long newSize);

    void free(long address);

    /**
     * The implementation called {@code name}: {@code unsafe} (whatever {@code Unsafe.allocateMemory}
     * reaches in this JVM), {@code emma} (the core's global instance, called directly) or
     * {@code emmacall} (the same behind a call per operation, {@link EmmaCallMemory}).
     */
    static NativeMemory named(String name) {
        return switch (name) {
            case "unsafe" -> new UnsafeMemory();
            case "emma" -> new EmmaMemory();
            case "emmacall" -> new EmmaCallMemory();
            default -> throw new IllegalArgumentException("unknown memory '" + name + "', expected unsafe, emma or emmacall");
        };
    }
}
