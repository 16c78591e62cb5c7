package dev.emma.agent.install;

import dev.emma.bridge.Bridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code jdk.internal.misc.Unsafe.freeMemory(long)}: Emma's blocks skip the original. */
final class FreeMemoryAdvice {

    private FreeMemoryAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.Argument(0) long address) {
        return Bridge.free(address);
    }
}
