package dev.emma.it.app;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A library that binds libc's allocator itself through FFM Linker downcalls (not Netty: outside the
 * default scope), after the agent is active, plus a block libc handed out before the handles were
 * bound. Prints {@code <what>=<value>} lines: whose memory each call returned, and the agent's counters.
 */
public final class LinkerApp {

    public static void main(String[] args) throws Throwable {
        Check.that(AgentProbe.awaitActive(30_000), "the agent did not become active");
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        MethodHandle malloc = linker.downcallHandle(libc.find("malloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        MethodHandle free = linker.downcallHandle(libc.find("free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        MethodHandle realloc = linker.downcallHandle(libc.find("realloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        MethodHandle usable = linker.downcallHandle(libc.find("malloc_usable_size").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        MethodHandle mallocWithErrno = linker.downcallHandle(libc.find("malloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), Linker.Option.captureCallState("errno"));

        MemorySegment block = (MemorySegment) malloc.invokeExact(100_000L);
        System.out.println("mallocEmma=" + AgentProbe.emmaOwns(block.address()));
        block.reinterpret(100_000).fill((byte) 7);
        MemorySegment grown = (MemorySegment) realloc.invokeExact(block, 300_000L);
        System.out.println("reallocEmma=" + AgentProbe.emmaOwns(grown.address()) + " kept="
                + (grown.reinterpret(300_000).get(ValueLayout.JAVA_BYTE, 99_999) == 7));
        System.out.println("usableAtLeast=" + ((long) usable.invokeExact(grown) >= 300_000));
        free.invokeExact(grown);

        // libc's own block, from a handle the agent did not route (it captures errno: another type): its free
        // through a routed handle must reach libc, and the process must survive it.
        MemorySegment errno = java.lang.foreign.Arena.global().allocate(Linker.Option.captureStateLayout());
        MemorySegment foreign = (MemorySegment) mallocWithErrno.invokeExact(errno, 4096L);
        System.out.println("foreignEmma=" + AgentProbe.emmaOwns(foreign.address()));
        long foreignFrees = AgentProbe.attribute("ForeignFrees");
        free.invokeExact(foreign);
        System.out.println("foreignFreesCounted=" + (AgentProbe.attribute("ForeignFrees") - foreignFrees));
        // The same through sun.misc.Unsafe.freeMemory, whose call the agent replaces (AppUnsafe): the door
        // finds no Emma block and passes it on to the internal method's advice, which counts it, once.
        MemorySegment foreignForUnsafe = (MemorySegment) mallocWithErrno.invokeExact(errno, 4096L);
        long beforeUnsafeFree = AgentProbe.attribute("ForeignFrees");
        Memory.unsafe().freeMemory(foreignForUnsafe.address());
        System.out.println("unsafeForeignFreesCounted=" + (AgentProbe.attribute("ForeignFrees") - beforeUnsafeFree));

        System.out.println("LinkerAllocations=" + AgentProbe.attribute("LinkerAllocations") + " UncoveredBytes="
                + AgentProbe.attribute("UncoveredBytes"));
    }
}
