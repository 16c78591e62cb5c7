package dev.emma;

import dev.emma.memory.Memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An FFM {@link Arena} whose segments come from an {@link Emma} instance, for code that wants Emma
 * without the agent. Segments are zero-initialised and become inaccessible when the arena closes;
 * closing frees them all.
 *
 * <p>Lifetime and thread-confinement checks are the JDK's own: each arena keeps a plain JDK arena
 * of the same kind purely as the scope of its segments (that arena never allocates anything).
 */
public final class EmmaArena implements Arena {
    private final Emma emma;
    private final Arena scope;
    private final Thread owner;           // null for a shared arena
    private long[] blocks = new long[16]; // guarded by this (shared) or confined to owner
    private int count;

    private EmmaArena(Emma emma, Arena scope, Thread owner) {
        this.emma = emma;
        this.scope = scope;
        this.owner = owner;
    }

    /** An arena usable (allocation, access, close) only by the thread that creates it. */
    public static EmmaArena ofConfined(Emma emma) {
        return new EmmaArena(emma, Arena.ofConfined(), Thread.currentThread());
    }

    /** An arena usable by any thread; close() waits until no thread is accessing its segments. */
    public static EmmaArena ofShared(Emma emma) {
        return new EmmaArena(emma, Arena.ofShared(), null);
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must be >= 0, was " + byteSize);
        }
        if (byteAlignment <= 0 || (byteAlignment & (byteAlignment - 1)) != 0) {
            throw new IllegalArgumentException("byteAlignment must be a power of two, was " + byteAlignment);
        }
        if (owner != null && Thread.currentThread() != owner) {
            throw new WrongThreadException("this arena is confined to " + owner);
        }
        if (!scope.scope().isAlive()) {
            throw new IllegalStateException("this arena is closed");
        }
        long address = byteAlignment <= 16 ? emma.allocateZeroed(Math.max(1, byteSize))
                : emma.allocate(Math.max(1, byteSize), byteAlignment);
        remember(address);
        MemorySegment segment = Memory.segment(address, byteSize, scope);
        if (byteAlignment > 16) {
            segment.fill((byte) 0);
        }
        return segment;
    }

    private void remember(long address) {
        if (owner == null) {
            synchronized (this) {
                add(address);
            }
        } else {
            add(address);
        }
    }

    private void add(long address) {
        if (count == blocks.length) {
            blocks = Arrays.copyOf(blocks, count * 2);
        }
        blocks[count++] = address;
    }

    @Override
    public MemorySegment.Scope scope() {
        return scope.scope();
    }

    /** Invalidates every segment (the JDK checks ownership and concurrent access), then frees them. */
    @Override
    public void close() {
        scope.close();
        long[] toFree;
        int n;
        synchronized (this) {
            toFree = blocks;
            n = count;
            count = 0;
        }
        for (int i = 0; i < n; i++) {
            emma.free(toFree[i]);
        }
    }
}
