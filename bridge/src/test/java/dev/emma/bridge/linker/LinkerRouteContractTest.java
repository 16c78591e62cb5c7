package dev.emma.bridge.linker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.emma.Emma;
import dev.emma.bridge.EmmaBlocks;
import dev.emma.bridge.Router;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Linker route keeps C's and the JDK's contracts: malloc_usable_size never throws, a generic free with captured errno and a free declared with a result still give Emma its blocks. */
class LinkerRouteContractTest {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemorySegment FREE = LINKER.defaultLookup().find("free").orElseThrow();
    private static final MemorySegment USABLE = LINKER.defaultLookup().find("malloc_usable_size").orElseThrow();
    private static final AddressLayout C_POINTER = ValueLayout.ADDRESS.withTargetLayout(
            MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE));

    /** glibc's malloc_usable_size never throws; Emma's answer for a stale/interior pointer must not either. */
    @Test
    void usableSizeOfAFreedEmmaBlockDoesNotThrowThroughAGuardedHandle() throws Throwable {
        try (Emma emma = Emma.create()) {
            Router router = Router.emma(new EmmaBlocks(emma), (w, c) -> { });
            FunctionDescriptor d = FunctionDescriptor.of(ValueLayout.JAVA_LONG, C_POINTER);
            Linker.Option[] critical = {Linker.Option.critical(true)};
            MethodHandle usable = LinkerRoutes.route(USABLE, d, critical, LINKER.downcallHandle(USABLE, d, critical),
                    router, LinkerRoutes.Scope.KNOWN);
            long p = emma.allocate(100);
            emma.free(p);
            assertDoesNotThrow(() -> {
                long unused = (long) usable.invokeExact(MemorySegment.ofAddress(p));
            }, "malloc_usable_size of a freed Emma block");
        }
    }

    @Test
    void routerUsableSizeOfAnInteriorPointerDoesNotThrow() {
        try (Emma emma = Emma.create()) {
            Router router = Router.emma(new EmmaBlocks(emma), (w, c) -> { });
            long p = emma.allocate(100);
            assertDoesNotThrow(() -> router.linkerUsableSize(p + 8), "plain route: RoutedCalls.mallocUsableSize calls this");
            emma.free(p);
        }
    }

    /** Generic handle with captureCallState: the symbol must be read from the right parameter. */
    @Test
    void genericFreeCapturingErrnoGivesEmmaItsBlock() throws Throwable {
        FakeBlocks blocks = new FakeBlocks();
        Router router = FakeBlocks.router(blocks);
        FunctionDescriptor d = FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG);
        Linker.Option[] errno = {Linker.Option.captureCallState("errno")};
        MethodHandle original = LINKER.downcallHandle(d, errno);
        MethodHandle free = LinkerRoutes.routeGeneric(d, errno, original, router, LinkerRoutes.Scope.KNOWN);
        assertNotSame(original, free);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            long emma = blocks.block();
            free.invokeExact(FREE, state, emma);
            assertEquals(List.of("free 0x" + Long.toHexString(emma)), blocks.calls);
        }
    }

    /** free declared with a (garbage) int result: the JDK accepts it; is it still exchanged? */
    @Test
    void freeDeclaredWithAnIntResultIsExchanged() {
        FakeBlocks blocks = new FakeBlocks();
        FunctionDescriptor d = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
        MethodHandle original = LINKER.downcallHandle(FREE, d);
        MethodHandle free = LinkerRoutes.route(FREE, d, new Linker.Option[0], original, FakeBlocks.router(blocks),
                LinkerRoutes.Scope.ALL);
        assertNotSame(original, free, "an Emma block through it would reach glibc's free");
        long emma = blocks.block();
        try {
            assertEquals(0, (int) free.invokeExact(MemorySegment.ofAddress(emma)));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
        assertEquals(List.of("free 0x" + Long.toHexString(emma)), blocks.calls);
    }

    /** A generic long f(long) handle can be malloc_usable_size or a free declared with a result: both give Emma its blocks. */
    @Test
    void aGenericLongOfLongHandleIsGuardedForEveryFunctionItCanBe() throws Throwable {
        FakeBlocks blocks = new FakeBlocks();
        FunctionDescriptor d = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
        MethodHandle original = LINKER.downcallHandle(d);
        MethodHandle generic = LinkerRoutes.routeGeneric(d, new Linker.Option[0], original, FakeBlocks.router(blocks),
                LinkerRoutes.Scope.KNOWN);
        long emma = blocks.block();
        assertEquals(FakeBlocks.USABLE, (long) generic.invokeExact(USABLE, emma));
        assertEquals(0, (long) generic.invokeExact(FREE, emma));
        assertEquals(List.of("free 0x" + Long.toHexString(emma)), blocks.calls);
    }
}
