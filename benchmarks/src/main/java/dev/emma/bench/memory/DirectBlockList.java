package dev.emma.bench.memory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** {@link BlockList} of direct buffers, freed with {@code invokeCleaner} (not left to the GC). */
final class DirectBlockList implements BlockList {

    private final List<ByteBuffer> buffers = new ArrayList<>();
    private long bytes;

    @Override
    public void add(long size) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(size));
        for (int offset = 0; offset + 8 <= size; offset += (int) Pages.PAGE) {
            buffer.putLong(offset, offset + 1);
        }
        buffers.add(buffer);
        bytes += size;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public void freeAll() {
        for (ByteBuffer buffer : buffers) {
            UnsafeMemory.freeDirect(buffer);
        }
        buffers.clear();
        bytes = 0;
    }
}
