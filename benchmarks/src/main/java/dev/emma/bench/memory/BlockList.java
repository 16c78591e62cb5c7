package dev.emma.bench.memory;

/**
 * Blocks kept alive together and freed together (a spike), either as direct buffers or as raw
 * addresses. Not thread-safe: one thread fills a list, any single thread may free it.
 */
public interface BlockList {

    /** Allocates a block of {@code size} bytes, writes every page of it, and keeps it. */
    void add(long size);

    /** Bytes asked for by the blocks held now. */
    long bytes();

    /** Frees every block held. */
    void freeAll();

    /**
     * {@code direct}: {@code ByteBuffer.allocateDirect}, freed with {@code invokeCleaner};
     * {@code unsafe} or {@code emma}: raw blocks from {@link NativeMemory#named}.
     */
    static BlockList of(String memory) {
        return memory.equals("direct") ? new DirectBlockList() : new RawBlockList(NativeMemory.named(memory));
    }
}
