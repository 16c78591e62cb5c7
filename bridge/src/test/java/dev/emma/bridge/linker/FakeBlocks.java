package dev.emma.bridge.linker;

import dev.emma.bridge.BlockAllocator;
import dev.emma.bridge.Router;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that owns the blocks of one native segment of its own (never libc's: should one
 * reach libc's free, glibc aborts the test JVM) and records what it is asked.
 */
final class FakeBlocks implements BlockAllocator {

    static final long USABLE = 4096;
    private final MemorySegment memory = Arena.global().allocate(1 << 20, 4096);
    final List<String> calls = new ArrayList<>();
    private long next = memory.address();
    boolean failReallocate;

    static Router router(FakeBlocks blocks) {
        return Router.emma(blocks, (what, cause) -> { });
    }

    long block() {
        long address = next;
        next += USABLE;
        return address;
    }

    @Override
    public long allocate(long size) {
        return block();
    }

    @Override
    public long allocateZeroed(long size) {
        return block();
    }

    @Override
    public long allocateAligned(long size, long alignment) {
        return block();
    }

    @Override
    public long reallocate(long address, long newSize) {
        calls.add("reallocate 0x" + Long.toHexString(address) + " " + newSize);
        if (failReallocate) {
            throw new OutOfMemoryError("test");
        }
        return block();
    }

    @Override
    public boolean free(long address) {
        if (!owns(address)) {
            return false;
        }
        calls.add("free 0x" + Long.toHexString(address));
        return true;
    }

    @Override
    public boolean owns(long address) {
        return address >= memory.address() && address < memory.address() + memory.byteSize();
    }

    @Override
    public long usableSize(long address) {
        return USABLE;
    }
}
