package dev.emma.bridge;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The native blocks allocated while the agent is active in {@code passthrough} mode, with their
 * requested sizes: the libc allocator cannot say how big a block is, and the A/B control arm needs
 * live bytes and a foreign-free count like the Emma arm's.
 */
final class NativeBlocks {
    private final ConcurrentHashMap<Long, Long> sizes = new ConcurrentHashMap<>();
    private final LongAdder liveBytes = new LongAdder();

    void add(long address, long size) {
        Long previous = sizes.put(address, size);
        liveBytes.add(size - (previous == null ? 0 : previous));
    }

    /** Forgets a block; false if it was not tracked (a foreign block). */
    boolean remove(long address) {
        Long size = sizes.remove(address);
        if (size == null) {
            return false;
        }
        liveBytes.add(-size);
        return true;
    }

    long liveBytes() {
        return liveBytes.sum();
    }

    long liveBlocks() {
        return sizes.size();
    }
}
