package dev.emma.bridge.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * free, realloc and malloc_usable_size bound in any shape the JDK accepts give Emma its own blocks
 * (one reaching glibc would abort this JVM) and pass every other pointer to libc unchanged.
 */
class LinkerBlockShapesTest {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemorySegment FREE = LINKER.defaultLookup().find("free").orElseThrow();
    private static final MemorySegment MALLOC = LINKER.defaultLookup().find("malloc").orElseThrow();
    private static final MemorySegment REALLOC = LINKER.defaultLookup().find("realloc").orElseThrow();
    private static final MemorySegment USABLE = LINKER.defaultLookup().find("malloc_usable_size").orElseThrow();
    /** jextract's C_POINTER. */
    private static final AddressLayout C_POINTER = ValueLayout.ADDRESS.withTargetLayout(
            MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE));
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout().byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    private final FakeBlocks blocks = new FakeBlocks();
    private final dev.emma.bridge.Router router = FakeBlocks.router(blocks);

    private MethodHandle bound(MemorySegment symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        MethodHandle original = LINKER.downcallHandle(symbol, descriptor, options);
        MethodHandle routed = LinkerRoutes.route(symbol, descriptor, options, original, router, LinkerRoutes.Scope.KNOWN);
        assertNotSame(original, routed, "exchanged");
        assertEquals(original.type(), routed.type());
        return routed;
    }

    private static long libcMalloc(long size) throws Throwable {
        return (long) LINKER.downcallHandle(MALLOC, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG)).invokeExact(size);
    }

    @Test
    void freeWithATargetLayoutPointer() throws Throwable {
        MethodHandle free = bound(FREE, FunctionDescriptor.ofVoid(C_POINTER));
        long emma = blocks.block();
        free.invokeExact(MemorySegment.ofAddress(emma));
        free.invokeExact(MemorySegment.ofAddress(libcMalloc(100))); // libc's block: libc frees it
        free.invokeExact(MemorySegment.NULL);
        assertEquals(List.of("free 0x" + Long.toHexString(emma)), blocks.calls);
    }

    @Test
    void freeBoundCritical() throws Throwable {
        for (Linker.Option critical : List.of(Linker.Option.critical(true), Linker.Option.critical(false))) {
            MethodHandle free = bound(FREE, FunctionDescriptor.ofVoid(C_POINTER), critical);
            long emma = blocks.block();
            free.invokeExact(MemorySegment.ofAddress(emma));
            free.invokeExact(MemorySegment.ofAddress(libcMalloc(100)));
            assertEquals("free 0x" + Long.toHexString(emma), blocks.calls.getLast());
        }
        MethodHandle free = bound(FREE, FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG), Linker.Option.critical(true));
        long emma = blocks.block();
        free.invokeExact(emma);
        free.invokeExact(libcMalloc(100));
        assertEquals("free 0x" + Long.toHexString(emma), blocks.calls.getLast());
    }

    @Test
    void freeCapturingErrnoLeavesTheStateToTheOriginalForForeignBlocks() throws Throwable {
        MethodHandle free = bound(FREE, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS), ERRNO);
        assertEquals(MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class), free.type());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            long emma = blocks.block();
            free.invokeExact(state, MemorySegment.ofAddress(emma));
            free.invokeExact(state, MemorySegment.ofAddress(libcMalloc(100)));
            assertEquals(List.of("free 0x" + Long.toHexString(emma)), blocks.calls);
        }
    }

    @Test
    void freeTakingTheSymbolPerCall() throws Throwable {
        FunctionDescriptor descriptor = FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG);
        MethodHandle original = LINKER.downcallHandle(descriptor);
        MethodHandle free = LinkerRoutes.routeGeneric(descriptor, new Linker.Option[0], original, router, LinkerRoutes.Scope.KNOWN);
        assertNotSame(original, free);
        long emma = blocks.block();
        free.invokeExact(FREE, emma);
        free.invokeExact(FREE, libcMalloc(100));
        assertEquals(List.of("free 0x" + Long.toHexString(emma)), blocks.calls);
    }

    static final List<String> other = new ArrayList<>();

    static void otherFunction(MemorySegment symbol, long pointer) {
        other.add("0x" + Long.toHexString(symbol.address()) + " 0x" + Long.toHexString(pointer));
    }

    @Test
    void aGenericHandleCallingAnotherFunctionGetsTheOriginalEvenForAnEmmaBlock() throws Throwable {
        MethodHandle original = MethodHandles.lookup().findStatic(LinkerBlockShapesTest.class, "otherFunction",
                MethodType.methodType(void.class, MemorySegment.class, long.class));
        MethodHandle generic = Adapters.guarded(LibcFunction.FREE, FREE.address(), FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG),
                new Linker.Option[0], original, null, router, false);
        other.clear();
        long emma = blocks.block();
        generic.invokeExact(MALLOC, emma); // any function but free
        assertEquals(List.of("0x" + Long.toHexString(MALLOC.address()) + " 0x" + Long.toHexString(emma)), other);
        assertEquals(List.of(), blocks.calls);
    }

    @Test
    void reallocWithASizedResultAndErrno() throws Throwable {
        FunctionDescriptor descriptor = FunctionDescriptor.of(C_POINTER, C_POINTER, ValueLayout.JAVA_LONG);
        MethodHandle realloc = bound(REALLOC, descriptor, ERRNO, Linker.Option.critical(false));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            long emma = blocks.block();
            MemorySegment moved = (MemorySegment) realloc.invokeExact(state, MemorySegment.ofAddress(emma), 200L);
            assertTrue(blocks.owns(moved.address()), "Emma resized its block");
            assertEquals(Long.MAX_VALUE, moved.byteSize(), "sized by the target layout, as the JDK sizes it");

            blocks.failReallocate = true;
            state.set(ValueLayout.JAVA_INT, ERRNO_OFFSET, 0);
            MemorySegment failed = (MemorySegment) realloc.invokeExact(state, moved, 300L);
            assertEquals(0, failed.address(), "C's failure: NULL");
            assertEquals(12, state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET), "errno ENOMEM");

            MemorySegment libc = (MemorySegment) realloc.invokeExact(state, MemorySegment.ofAddress(libcMalloc(10)), 100_000L);
            assertTrue(libc.address() != 0 && !blocks.owns(libc.address()), "libc resized its own block");
            MethodHandle free = bound(FREE, FunctionDescriptor.ofVoid(C_POINTER));
            free.invokeExact(libc);
        }
    }

    @Test
    void reallocTakingTheSymbolPerCall() throws Throwable {
        FunctionDescriptor descriptor = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
        MethodHandle original = LINKER.downcallHandle(descriptor, Linker.Option.critical(true));
        MethodHandle realloc = LinkerRoutes.routeGeneric(descriptor, new Linker.Option[] {Linker.Option.critical(true)}, original,
                router, LinkerRoutes.Scope.ALL);
        long moved = (long) realloc.invokeExact(REALLOC, blocks.block(), 64L);
        assertTrue(blocks.owns(moved));
        long fresh = (long) realloc.invokeExact(REALLOC, 0L, 64L);
        assertTrue(fresh != 0 && !blocks.owns(fresh), "realloc(NULL, n) through such a handle stays libc's");
        LINKER.downcallHandle(FREE, FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG)).invokeExact(fresh);
    }

    @Test
    void mallocUsableSizeCritical() throws Throwable {
        MethodHandle usable = bound(USABLE, FunctionDescriptor.of(ValueLayout.JAVA_LONG, C_POINTER), Linker.Option.critical(true));
        assertEquals(FakeBlocks.USABLE, (long) usable.invokeExact(MemorySegment.ofAddress(blocks.block())));
        long libc = libcMalloc(100);
        assertTrue((long) usable.invokeExact(MemorySegment.ofAddress(libc)) >= 100, "libc's answer");
        LINKER.downcallHandle(FREE, FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG)).invokeExact(libc);
    }

    @Test
    void aMallocInAnotherShapeStaysLibcs() {
        FunctionDescriptor descriptor = FunctionDescriptor.of(C_POINTER, ValueLayout.JAVA_LONG);
        MethodHandle original = LINKER.downcallHandle(MALLOC, descriptor);
        assertSame(original, LinkerRoutes.route(MALLOC, descriptor, new Linker.Option[0], original, router, LinkerRoutes.Scope.ALL));
    }

    @Test
    void freeWithATargetLayoutOnItsParameterIsRecognised() {
        assertTrue(LibcFunction.FREE.matchesAnyPointer(FunctionDescriptor.ofVoid(C_POINTER)));
        assertTrue(LibcFunction.REALLOC.matchesAnyPointer(FunctionDescriptor.of(C_POINTER, C_POINTER, ValueLayout.JAVA_LONG)));
    }

    @Test
    void aLibcBlockResizedThroughAGuardedReallocLeavesTheSampleAndItsNewBlockJoinsIt() throws Throwable {
        // As on the plain route: the old block is forgotten, the new one is reported. Before, the
        // old block stayed live in the Linker figures and the new one was never counted.
        FunctionDescriptor descriptor = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
        Linker.Option[] critical = {Linker.Option.critical(true)};
        // A caller in scope (Scope.ALL): libc's answers are the route's to report, as on the plain route.
        MethodHandle realloc = LinkerRoutes.route(REALLOC, descriptor, critical, LINKER.downcallHandle(REALLOC, descriptor, critical),
                router, LinkerRoutes.Scope.ALL);
        long p = libcMalloc(1 << 16);
        router.linkerAllocatedNatively(p, 1 << 16); // 64 KiB: always sampled
        long q = (long) realloc.invokeExact(p, (long) (1 << 17));
        assertEquals(1L << 17, router.reading().route(dev.emma.bridge.Route.LINKER).liveBytes());
        MethodHandle free = bound(FREE, FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG), critical);
        free.invokeExact(q);
        assertEquals(0, router.reading().route(dev.emma.bridge.Route.LINKER).liveBytes());
    }
}
