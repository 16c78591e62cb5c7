package dev.emma.agent.install;

import dev.emma.bridge.linker.LinkerRoutes;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code jdk.internal.foreign.abi.AbstractLinker.downcallHandle(FunctionDescriptor,
 * Linker.Option...)}, the handle that takes the symbol per call: one that can call libc's
 * {@code free}, {@code realloc} or {@code malloc_usable_size} is exchanged for one that gives Emma
 * its own blocks (otherwise an Emma block passed through it would reach libc and abort).
 */
final class GenericLinkerAdvice {

    private GenericLinkerAdvice() {
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Argument(0) FunctionDescriptor function, @Advice.Argument(1) Linker.Option[] options,
                     @Advice.Return(readOnly = false) MethodHandle handle) {
        handle = LinkerRoutes.routeGeneric(function, options, handle);
    }
}
