package dev.emma.bridge.linker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.bridge.Route;
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
import org.junit.jupiter.api.Test;

/** A guarded realloc (a shape other than the plain one) reports libc's answer once, in scope only, and only for realloc itself; a call the JDK refuses changes nothing. */
class GuardedReallocReportsTest {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemorySegment FREE = LINKER.defaultLookup().find("free").orElseThrow();
    private static final MemorySegment MALLOC = LINKER.defaultLookup().find("malloc").orElseThrow();
    private static final MemorySegment REALLOC = LINKER.defaultLookup().find("realloc").orElseThrow();
    private static final AddressLayout C_POINTER = ValueLayout.ADDRESS.withTargetLayout(
            MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE));
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    private final FakeBlocks blocks = new FakeBlocks();
    private final dev.emma.bridge.Router router = FakeBlocks.router(blocks);

    private static long libcMalloc(long size) throws Throwable {
        return (long) LINKER.downcallHandle(MALLOC, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG)).invokeExact(size);
    }

    private static void libcFree(long p) throws Throwable {
        LINKER.downcallHandle(FREE, FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG)).invokeExact(p);
    }

    private long live() {
        return router.reading().route(Route.LINKER).liveBytes();
    }

    /** A call the JDK refuses (bad capture segment) must leave the foreign block's sample alone: p stays live. */
    @Test
    void aRefusedGuardedReallocOfALibcBlockKeepsItsSample() throws Throwable {
        FunctionDescriptor descriptor = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
        MethodHandle original = LINKER.downcallHandle(REALLOC, descriptor, ERRNO);
        MethodHandle realloc = LinkerRoutes.route(REALLOC, descriptor, new Linker.Option[] {ERRNO}, original, router, LinkerRoutes.Scope.ALL);
        long p = libcMalloc(1 << 16);
        router.linkerAllocatedNatively(p, 1 << 16);
        assertEquals(1L << 16, live());
        assertThrows(IllegalArgumentException.class, () -> {
            long unused = (long) realloc.invokeExact(MemorySegment.NULL, p, (long) (1 << 17));
        });
        try {
            assertEquals(1L << 16, live(), "the JDK refused the call: p is untouched and still live");
        } finally {
            libcFree(p);
        }
    }

    /**
     * Out of scope, libc's blocks are not the Linker route's: a guarded realloc reports nothing (as
     * malloc in such shapes, never routed, reports nothing); it counted them as the route's native
     * allocations before. (The plain route counts realloc(NULL, n) out of scope as uncovered.)
     */
    @Test
    void outOfScopeAGuardedReallocReportsNothing() throws Throwable {
        FunctionDescriptor d = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
        Linker.Option[] critical = {Linker.Option.critical(true)};
        MethodHandle guarded = LinkerRoutes.route(REALLOC, d, critical, LINKER.downcallHandle(REALLOC, d, critical),
                router, LinkerRoutes.Scope.KNOWN); // this test class is not io.netty: out of scope
        long b = (long) guarded.invokeExact(0L, (long) (1 << 16));
        libcFree(b);
        assertEquals("uncovered=0 native=0 linkerAllocations=0",
                "uncovered=" + router.reading().uncoveredAllocations() + " native=" + router.reading().nativeAllocations()
                        + " linkerAllocations=" + router.reading().route(Route.LINKER).allocations());
    }

    static long otherRealloc(MemorySegment symbol, long pointer, long size) {
        return 0x1234_0000L;
    }

    /** A generic realloc-shaped handle calling another function: its answer is not counted. */
    @Test
    void aGenericReallocHandleCallingAnotherFunctionIsNotNoted() throws Throwable {
        MethodHandle original = MethodHandles.lookup().findStatic(GuardedReallocReportsTest.class, "otherRealloc",
                MethodType.methodType(long.class, MemorySegment.class, long.class, long.class));
        MethodHandle generic = Adapters.guarded(LibcFunction.REALLOC, REALLOC.address(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                new Linker.Option[0], original, null, router, true);
        assertEquals(0x1234_0000L, (long) generic.invokeExact(MALLOC, 0L, 1L << 16));
        assertEquals(0, live());
        assertEquals(0, router.reading().nativeAllocations());
    }

    /** Generic handle, capture, target-layout segment result: the plumbing reports libc's new block once. */
    @Test
    void aGenericCapturingSegmentReallocReportsLibcsAnswerOnce() throws Throwable {
        FunctionDescriptor descriptor = FunctionDescriptor.of(C_POINTER, C_POINTER, ValueLayout.JAVA_LONG);
        MethodHandle original = LINKER.downcallHandle(descriptor, ERRNO);
        MethodHandle realloc = LinkerRoutes.routeGeneric(descriptor, new Linker.Option[] {ERRNO}, original, router, LinkerRoutes.Scope.ALL);
        assertEquals(original.type(), realloc.type());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            long p = libcMalloc(1 << 16);
            router.linkerAllocatedNatively(p, 1 << 16);
            MemorySegment q = (MemorySegment) realloc.invokeExact(REALLOC, state, MemorySegment.ofAddress(p), (long) (1 << 17));
            assertEquals(Long.MAX_VALUE, q.byteSize());
            assertEquals(1L << 17, live(), "old gone, new counted once");
            assertEquals(2, router.reading().nativeAllocations());
            MemorySegment zero = (MemorySegment) realloc.invokeExact(REALLOC, state, q, 0L); // realloc(q, 0) frees q
            assertEquals(0, live());
            MemorySegment fresh = (MemorySegment) realloc.invokeExact(REALLOC, state, MemorySegment.NULL, 64L);
            assertTrue(fresh.address() != 0 && !blocks.owns(fresh.address()));
            assertEquals(3, router.reading().nativeAllocations(), "realloc(NULL, n): libc's block counted");
            libcFree(fresh.address());
            if (zero.address() != 0) {
                libcFree(zero.address());
            }
        }
    }
}
