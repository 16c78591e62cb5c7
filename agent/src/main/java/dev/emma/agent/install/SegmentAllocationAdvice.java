package dev.emma.agent.install;

import dev.emma.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/** Inlined into the JDK's FFM native-segment allocation: attributes the allocation to arenas. */
final class SegmentAllocationAdvice {

    private SegmentAllocationAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter() {
        Bridge.countSegment();
    }
}
