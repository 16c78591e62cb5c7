package dev.emma.agent.install;

import dev.emma.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code DirectByteBuffer.Deallocator.run()}, the Cleaner action of every direct
 * buffer: the direct-buffer route's live bytes go down by the size the buffer was allocated with.
 * The free itself goes on through {@code Unsafe.freeMemory}, routed as usual.
 */
final class DeallocatorAdvice {

    private DeallocatorAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.FieldValue("size") long size) {
        Bridge.directFreed(size);
    }
}
