package dev.emma.bridge;

/**
 * The allocator the agent routes to: {@link EmmaBlocks} in production. An interface so that the
 * routing rules can be unit-tested with an allocator whose every call is visible.
 */
public interface BlockAllocator {

    long allocate(long size);

    /** Zeroed memory; memory the allocator knows is zero (fresh from the OS) is not written. */
    long allocateZeroed(long size);

    /** {@code size} bytes aligned to {@code alignment} (a power of two). */
    long allocateAligned(long size, long alignment);

    long reallocate(long address, long newSize);

    /**
     * Frees {@code address} if this allocator owns it and returns true; returns false, and does
     * nothing, for an address it does not own. May throw when it owns the address but rejects the
     * free (a double free in checked mode): the address is then still never another allocator's.
     */
    boolean free(long address);

    /** Whether {@code address} lies in this allocator's memory; safe for any value, O(1). */
    boolean owns(long address);

    /** The usable size of a live block this allocator handed out. */
    long usableSize(long address);

    /**
     * Starts (or with null stops) handing this allocator's blocks to allocation sampling: each new
     * block after it is allocated, each freed or moved one before the allocator may reuse its address.
     * By default the allocator is not sampled.
     */
    default void sampling(SampleHook hook) {
    }
}
