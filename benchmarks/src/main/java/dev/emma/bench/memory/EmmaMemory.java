package dev.emma.bench.memory;

import dev.emma.Emma;

/** The Emma core's global instance, called directly (no agent, no JDK code in between). */
public final class EmmaMemory implements NativeMemory {

    private final Emma emma = Emma.global();

    @Override
    public long allocate(long size) {
        return emma.allocate(size);
    }

    @Override
    public long reallocate(long address, long newSize) {
        return emma.reallocate(address, newSize);
    }

    @Override
    public void free(long address) {
        emma.free(address);
    }
}
