package dev.emma.bench.memory;

import java.util.Arrays;

/** {@link BlockList} of raw addresses from a {@link NativeMemory}. */
final class RawBlockList implements BlockList {

    private final NativeMemory memory;
    private long[] addresses = new long[1024];
    private int count;
    private long bytes;

    RawBlockList(NativeMemory memory) {
        this.memory = memory;
    }

    @Override
    public void add(long size) {
        long address = memory.allocate(size);
        Pages.touch(address, size, address);
        if (count == addresses.length) {
            addresses = Arrays.copyOf(addresses, count * 2);
        }
        addresses[count++] = address;
        bytes += size;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public void freeAll() {
        for (int i = 0; i < count; i++) {
            memory.free(addresses[i]);
        }
        count = 0;
        bytes = 0;
    }
}
