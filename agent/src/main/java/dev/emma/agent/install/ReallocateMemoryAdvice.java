package dev.emma.agent.install;

import dev.emma.bridge.Bridge;
import dev.emma.bridge.Router;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code jdk.internal.misc.Unsafe.reallocateMemory(long, long)}; see {@link AllocateMemoryAdvice}. */
final class ReallocateMemoryAdvice {

    private ReallocateMemoryAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.Argument(0) long oldAddress, @Advice.Argument(1) long size,
                         @Advice.Local("address") long address) {
        address = Bridge.reallocate(oldAddress, size);
        return address != Router.NOT_HANDLED;
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Argument(0) long oldAddress, @Advice.Argument(1) long size, @Advice.Enter boolean handled,
                     @Advice.Local("address") long address, @Advice.Return(readOnly = false) long returned) {
        if (handled) {
            returned = address;
        } else {
            Bridge.reallocatedNatively(oldAddress, returned, size);
        }
    }
}
