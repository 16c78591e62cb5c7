package dev.emma.bridge.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** A routed handle checks its segment arguments as the JDK's own downcall does, with the same exception types. */
class LinkerSegmentChecksTest {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemorySegment FREE = LINKER.defaultLookup().find("free").orElseThrow();

    private static MethodHandle free() {
        return LINKER.downcallHandle(FREE, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    @Test
    void aRoutedFreeRefusesASegmentOfAClosedArenaAsTheJdkDoes() throws Throwable {
        MethodHandle free = free();
        MethodHandle routed = Adapters.routed(LibcFunction.FREE, true, free);
        Arena arena = Arena.ofConfined();
        MemorySegment closed = MemorySegment.NULL.reinterpret(8, arena, null); // free(NULL): harmless if it runs
        arena.close();
        assertThrows(IllegalStateException.class, () -> {
            free.invokeExact(closed);
        }, "the JDK's own downcall");
        assertThrows(IllegalStateException.class, () -> {
            routed.invokeExact(closed);
        }, "the routed downcall");
    }

    @Test
    void aRoutedFreeRefusesAnotherThreadsConfinedSegmentAsTheJdkDoes() throws Throwable {
        MethodHandle free = free();
        MethodHandle routed = Adapters.routed(LibcFunction.FREE, true, free);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment confined = MemorySegment.NULL.reinterpret(8, arena, null);
            assertThrows(WrongThreadException.class, () -> onAnotherThread(free, confined), "the JDK's own downcall");
            assertThrows(WrongThreadException.class, () -> onAnotherThread(routed, confined), "the routed downcall");
        }
    }

    @Test
    void aGuardedFreeRefusesAClosedOrForeignThreadSegment() throws Throwable {
        FakeBlocks blocks = new FakeBlocks();
        MethodHandle free = LINKER.downcallHandle(FREE, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS), Linker.Option.critical(true));
        MethodHandle guarded = Adapters.guarded(LibcFunction.FREE, FREE.address(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS),
                new Linker.Option[] {Linker.Option.critical(true)}, free, FREE, FakeBlocks.router(blocks), false);
        Arena arena = Arena.ofConfined();
        // an Emma block: Emma would free it without the check (libc never sees it)
        MemorySegment segment = MemorySegment.ofAddress(blocks.block()).reinterpret(8, arena, null);
        assertThrows(WrongThreadException.class, () -> onAnotherThread(guarded, segment));
        arena.close();
        assertThrows(IllegalStateException.class, () -> {
            guarded.invokeExact(segment);
        });
        assertEquals(java.util.List.of(), blocks.calls, "nothing freed");
    }

    private static void onAnotherThread(MethodHandle free, MemorySegment segment) throws Throwable {
        try {
            CompletableFuture.runAsync(() -> {
                try {
                    free.invokeExact(segment);
                } catch (Throwable e) {
                    throw new RuntimeException(e);
                }
            }).get();
        } catch (ExecutionException e) {
            throw e.getCause().getCause();
        }
    }
}
