package dev.emma.bench.memory;

import dev.emma.Emma;
import org.openjdk.jmh.annotations.CompilerControl;

/**
 * The Emma core's global instance behind one real call per operation ({@code impl=emmacall}): what
 * any caller that cannot inline the core into its own loop gets, the agent included (its
 * {@code EmmaBlocks} is such a boundary). Beside {@code impl=emma}, whose calls JMH's loop inlines
 * (and whose thread-heap look-up, closed check and per-class array range checks it hoists), it
 * separates the price of the boundary from the price of the agent's own layers.
 */
public final class EmmaCallMemory implements NativeMemory {

    private final Emma emma = Emma.global();

    @Override
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public long allocate(long size) {
        return emma.allocate(size);
    }

    @Override
    public long reallocate(long address, long newSize) {
        return emma.reallocate(address, newSize);
    }

    @Override
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void free(long address) {
        emma.freeIfOwned(address); // as the agent frees: one look-up answers "Emma's?" and frees
    }
}
