package dev.emma.agent.install;

import dev.emma.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the cleanup action an FFM arena registers for each block it allocates (JDK 25:
 * the anonymous {@code SegmentFactories$1}, whose captured {@code allocationSize} is the size given
 * to {@link SegmentAllocationAdvice}'s method): the FFM route's live bytes go down when it runs.
 */
final class SegmentCleanupAdvice {

    private SegmentCleanupAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.FieldValue("val$allocationSize") long size) {
        Bridge.segmentFreed(size);
    }
}
