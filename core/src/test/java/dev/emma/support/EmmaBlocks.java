package dev.emma.support;

import dev.emma.Emma;

/** Emma as a {@link BlockAllocator}; blocks span their usable size, which must cover the request. */
public record EmmaBlocks(Emma emma) implements BlockAllocator {
    @Override
    public long allocate(long size) {
        return emma.allocate(size);
    }

    @Override
    public void free(long address) {
        emma.free(address);
    }

    @Override
    public long extent(long address, long requested) {
        long usable = emma.usableSize(address);
        if (usable < requested) {
            throw new AssertionError("usableSize(" + Patterns.hex(address) + ") = " + usable + " < requested " + requested);
        }
        return usable;
    }
}
