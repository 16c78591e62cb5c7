package dev.emma.bridge.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The routed handle has exactly the original's type whatever the descriptor's carriers, and (with
 * no active routing, as in this JVM) passes every call through to the original unchanged.
 */
class AdaptersTest {

    private static final List<String> calls = new ArrayList<>();

    static long mallocL(long size) {
        calls.add("malloc " + size);
        return 0x1000;
    }

    static MemorySegment mallocA(long size) {
        calls.add("malloc " + size);
        return MemorySegment.ofAddress(0x2000);
    }

    static void freeA(MemorySegment p) {
        calls.add("free 0x" + Long.toHexString(p.address()));
    }

    static MemorySegment reallocA(MemorySegment p, long size) {
        calls.add("realloc 0x" + Long.toHexString(p.address()) + " " + size);
        return MemorySegment.ofAddress(0x3000);
    }

    static int posixMemalignA(MemorySegment out, long alignment, long size) {
        calls.add("posix_memalign " + alignment + " " + size);
        return 0;
    }

    private static MethodHandle handle(String name, MethodType type) throws ReflectiveOperationException {
        return MethodHandles.lookup().findStatic(AdaptersTest.class, name, type);
    }

    @Test
    void longCarriersAsNettyBindsThem() throws Throwable {
        MethodHandle original = handle("mallocL", MethodType.methodType(long.class, long.class));
        assertTrue(LibcFunction.MALLOC.matches(FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG)));
        MethodHandle routed = Adapters.routed(LibcFunction.MALLOC, true, original);
        assertEquals(original.type(), routed.type());
        calls.clear();
        assertEquals(0x1000, (long) routed.invokeExact(64L));
        assertEquals(List.of("malloc 64"), calls);
    }

    @Test
    void segmentCarriers() throws Throwable {
        MethodHandle malloc = Adapters.routed(LibcFunction.MALLOC, false, handle("mallocA", MethodType.methodType(MemorySegment.class, long.class)));
        MethodHandle free = Adapters.routed(LibcFunction.FREE, true, handle("freeA", MethodType.methodType(void.class, MemorySegment.class)));
        MethodHandle realloc = Adapters.routed(LibcFunction.REALLOC, true,
                handle("reallocA", MethodType.methodType(MemorySegment.class, MemorySegment.class, long.class)));
        calls.clear();
        MemorySegment p = (MemorySegment) malloc.invokeExact(32L);
        assertEquals(0x2000, p.address());
        MemorySegment q = (MemorySegment) realloc.invokeExact(p, 64L);
        free.invokeExact(q);
        assertEquals(List.of("malloc 32", "realloc 0x2000 64", "free 0x3000"), calls);
    }

    @Test
    void posixMemalignKeepsItsOutParameter() throws Throwable {
        MethodHandle routed = Adapters.routed(LibcFunction.POSIX_MEMALIGN, true,
                handle("posixMemalignA", MethodType.methodType(int.class, MemorySegment.class, long.class, long.class)));
        calls.clear();
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0, (int) routed.invokeExact(arena.allocate(ValueLayout.ADDRESS), 64L, 100L));
        }
        assertEquals(List.of("posix_memalign 64 100"), calls);
    }

    @Test
    void aHeapSegmentIsRefusedAsTheJdksDowncallRefusesIt() throws Throwable {
        MethodHandle free = Adapters.routed(LibcFunction.FREE, true, handle("freeA", MethodType.methodType(void.class, MemorySegment.class)));
        MemorySegment heap = MemorySegment.ofArray(new byte[8]);
        assertThrows(IllegalArgumentException.class, () -> {
            free.invokeExact(heap);
        });
    }

    @Test
    void onlyTheCSignaturesAreRecognised() {
        assertTrue(LibcFunction.FREE.matches(FunctionDescriptor.ofVoid(ValueLayout.ADDRESS)));
        assertTrue(LibcFunction.CALLOC.matches(FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG)));
        assertFalse(LibcFunction.MALLOC.matches(FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT)), "size_t is 64 bits");
        assertFalse(LibcFunction.MALLOC.matches(FunctionDescriptor.of(
                ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_BYTE), ValueLayout.JAVA_LONG)), "a sized result is not routed");
        assertFalse(LibcFunction.FREE.matches(FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS)));
    }
}
