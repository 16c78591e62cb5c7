package dev.emma.heap;

import dev.emma.EmmaConfig;
import dev.emma.EmmaStats;

/** Placeholder while the core is written; replaced by the real allocator. */
public final class Allocator {
    private final EmmaConfig config;

    public Allocator(EmmaConfig config) {
        this.config = config;
    }

    public long allocate(long size) { throw new UnsupportedOperationException(); }
    public long allocateAligned(long size, long alignment) { throw new UnsupportedOperationException(); }
    public long allocateZeroed(long size) { throw new UnsupportedOperationException(); }
    public long reallocate(long address, long newSize) { throw new UnsupportedOperationException(); }
    public void free(long address) { throw new UnsupportedOperationException(); }
    public long usableSize(long address) { throw new UnsupportedOperationException(); }
    public boolean owns(long address) { throw new UnsupportedOperationException(); }
    public EmmaStats stats() { throw new UnsupportedOperationException(); }
    public long residentBytes() { throw new UnsupportedOperationException(); }
    public void trim() { throw new UnsupportedOperationException(); }
    public EmmaConfig config() { return config; }
    public void close() { }
}
