package dev.emma.bridge;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link BlockAllocator} that records every call and owns the addresses from {@link #BASE} on;
 * its first address has all low 32 bits zero (the case Byte Buddy's {@code skipOn} got wrong).
 */
final class RecordingBlocks implements BlockAllocator {

    static final long BASE = 0x0000_7f00_0000_0000L;
    static final long END = BASE + (1L << 40);
    /** Every block's usable size. */
    static final long USABLE = 4096;

    final List<String> calls = new ArrayList<>();
    private long next = BASE;
    Throwable failure; // a RuntimeException or an Error, thrown by the next call

    @Override
    public long allocate(long size) {
        return take("allocate " + size);
    }

    @Override
    public long allocateZeroed(long size) {
        return take("allocateZeroed " + size);
    }

    @Override
    public long allocateAligned(long size, long alignment) {
        return take("allocateAligned " + size + " " + alignment);
    }

    @Override
    public long reallocate(long address, long newSize) {
        calls.add("reallocate 0x" + Long.toHexString(address) + " " + newSize);
        throwIfFailing();
        long moved = next;
        next += 1 << 20;
        return moved;
    }

    @Override
    public boolean free(long address) {
        if (!owns(address)) {
            return false;
        }
        calls.add("free 0x" + Long.toHexString(address));
        throwIfFailing();
        return true;
    }

    @Override
    public long usableSize(long address) {
        return USABLE;
    }

    @Override
    public boolean owns(long address) {
        return address >= BASE && address < END;
    }

    private long take(String call) {
        calls.add(call);
        throwIfFailing();
        long address = next;
        next += 1 << 20;
        return address;
    }

    private void throwIfFailing() {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }
}
