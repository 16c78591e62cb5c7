package dev.emma.bridge;

/**
 * The allocator the agent routes to: {@link EmmaBlocks} in production. An interface so that the
 * routing rules can be unit-tested with an allocator whose every call is visible.
 */
public interface BlockAllocator {

    long allocate(long size);

    /** Zeroed memory; memory the allocator knows is zero (fresh from the OS) is not written. */
    long allocateZeroed(long size);

    long reallocate(long address, long newSize);

    void free(long address);

    /** Whether {@code address} lies in this allocator's memory; safe for any value, O(1). */
    boolean owns(long address);
}
