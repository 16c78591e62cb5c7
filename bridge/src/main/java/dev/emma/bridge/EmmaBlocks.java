package dev.emma.bridge;

import dev.emma.Emma;

/** {@link BlockAllocator} over an {@link Emma} instance (the global one in production). */
public record EmmaBlocks(Emma emma) implements BlockAllocator {

    @Override
    public long allocate(long size) {
        return emma.allocate(size);
    }

    @Override
    public long allocateZeroed(long size) {
        return emma.allocateZeroed(size);
    }

    @Override
    public long reallocate(long address, long newSize) {
        return emma.reallocate(address, newSize);
    }

    @Override
    public void free(long address) {
        emma.free(address);
    }

    @Override
    public boolean owns(long address) {
        return emma.owns(address);
    }
}
