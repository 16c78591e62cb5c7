package dev.emma.agent.install;

import dev.emma.bridge.linker.LinkerRoutes;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code jdk.internal.foreign.abi.AbstractLinker.downcallHandle(MemorySegment,
 * FunctionDescriptor, Linker.Option...)} after its own checks (native access included) passed:
 * a handle bound to one of libc's allocator functions is exchanged for one Emma serves.
 */
final class LinkerAdvice {

    private LinkerAdvice() {
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Argument(0) MemorySegment symbol, @Advice.Argument(1) FunctionDescriptor function,
                     @Advice.Argument(2) Linker.Option[] options, @Advice.Return(readOnly = false) MethodHandle handle) {
        handle = LinkerRoutes.route(symbol, function, options, handle);
    }
}
