package dev.emma.agent.install;

import dev.emma.bridge.Bridge;
import dev.emma.bridge.Router;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code jdk.internal.misc.Unsafe.allocateMemory(long)}. The enter value is a
 * {@code boolean}, never the address: Byte Buddy's {@code skipOn} tests a {@code long} enter value
 * with {@code l2i}, so an address whose low 32 bits are zero would run the original body too.
 */
final class AllocateMemoryAdvice {

    private AllocateMemoryAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.Argument(0) long size, @Advice.Local("address") long address) {
        address = Bridge.allocate(size);
        return address != Router.NOT_HANDLED;
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Argument(0) long size, @Advice.Enter boolean handled,
                     @Advice.Local("address") long address, @Advice.Return(readOnly = false) long returned) {
        if (handled) {
            returned = address;
        } else {
            Bridge.allocatedNatively(returned, size);
        }
    }
}
