package dev.emma.it.app;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * malloc bound plainly (Emma's with linker=all), free bound in another shape: a pointer parameter
 * with a target layout (jextract's C_POINTER), critical(true), captureCallState("errno"), or the
 * symbol given per call. Each Emma block must reach Emma; one reaching glibc aborts the JVM.
 */
public final class LinkerFreeShapesApp {

    public static void main(String[] args) throws Throwable {
        Check.that(AgentProbe.awaitActive(30_000), "the agent did not become active");
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        MemorySegment freeSymbol = libc.find("free").orElseThrow();
        MethodHandle malloc = linker.downcallHandle(libc.find("malloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        MethodHandle free = switch (args[0]) {
            case "critical" -> linker.downcallHandle(freeSymbol, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS), Linker.Option.critical(true));
            case "targetLayout" -> linker.downcallHandle(freeSymbol, FunctionDescriptor.ofVoid(
                    ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE))));
            case "errno" -> linker.downcallHandle(freeSymbol, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS),
                    Linker.Option.captureCallState("errno"));
            case "generic" -> linker.downcallHandle(FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            default -> throw new IllegalArgumentException(args[0]);
        };
        MemorySegment state = Arena.global().allocate(Linker.Option.captureStateLayout());
        for (int i = 0; i < 1000; i++) {
            MemorySegment block = (MemorySegment) malloc.invokeExact(100L);
            if (i == 0) {
                System.out.println("mallocEmma=" + AgentProbe.emmaOwns(block.address()));
            }
            switch (args[0]) {
                case "errno" -> free.invokeExact(state, block);
                case "generic" -> free.invokeExact(freeSymbol, block);
                default -> free.invokeExact(block);
            }
        }
        System.out.println("survived");
    }
}
