package dev.emma.agent.install;

import dev.emma.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code jdk.internal.foreign.SegmentFactories.allocateMemoryWrapper(long)}, the FFM
 * arenas' one call to {@code Unsafe.allocateMemory}: attributes the block to the FFM route.
 */
final class SegmentAllocationAdvice {

    private SegmentAllocationAdvice() {
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Argument(0) long size, @Advice.Return long address) {
        if (address != 0) {
            Bridge.segmentAllocated(size);
        }
    }
}
