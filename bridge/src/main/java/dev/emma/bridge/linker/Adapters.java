package dev.emma.bridge.linker;

import dev.emma.bridge.Router;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Builds a routed handle of exactly the original handle's type. {@link RoutedCalls} works on
 * {@code long} addresses (and a segment for {@code posix_memalign}'s out-parameter); the original
 * may take and return {@code MemorySegment}s instead, so the original is adapted to the routed
 * call's types and the routed call back to the original's.
 *
 * <p>Two kinds: {@link #routed} for the plain shapes (the fast path Netty's handles take), and
 * {@link #guarded} for {@code free}, {@code realloc} and {@code malloc_usable_size} in every other
 * shape the JDK accepts (a target layout, {@code critical}, {@code captureCallState}, the symbol
 * given per call): Emma takes its own blocks, and everything else goes to the original handle
 * with the caller's own arguments.
 */
final class Adapters {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    /** (MemorySegment) long: a native segment's address; a heap segment is refused as the JDK's downcall refuses it. */
    private static final MethodHandle POINTER;
    /** (long) MemorySegment: a zero-length segment at the address, as a downcall returns for ADDRESS. */
    private static final MethodHandle SEGMENT;
    /** (MemorySegment) long: a pointer argument's address for a guarded call, 0 when the original must decide. */
    private static final MethodHandle GUARDED_ADDRESS;
    /** (long) boolean: whether Emma answered a guarded call (not {@link Router#NOT_HANDLED}). */
    private static final MethodHandle HANDLED;
    /** (long, AddressLayout) MemorySegment: a pointer result with a target layout, as the JDK makes it. */
    private static final MethodHandle SIZED_SEGMENT;

    static {
        try {
            POINTER = LOOKUP.findStatic(Adapters.class, "pointer", MethodType.methodType(long.class, MemorySegment.class));
            SEGMENT = LOOKUP.findStatic(MemorySegment.class, "ofAddress", MethodType.methodType(MemorySegment.class, long.class));
            GUARDED_ADDRESS = LOOKUP.findStatic(BlockCalls.class, "address", MethodType.methodType(long.class, MemorySegment.class));
            HANDLED = LOOKUP.findStatic(Adapters.class, "handled", MethodType.methodType(boolean.class, long.class));
            SIZED_SEGMENT = LOOKUP.findStatic(Adapters.class, "sizedSegment",
                    MethodType.methodType(MemorySegment.class, long.class, AddressLayout.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Adapters() {
    }

    static MethodHandle routed(LibcFunction function, boolean inScope, MethodHandle original) throws ReflectiveOperationException {
        String name = switch (function) {
            case MALLOC -> inScope ? "malloc" : "mallocCounted";
            case CALLOC -> inScope ? "calloc" : "callocCounted";
            case REALLOC -> inScope ? "realloc" : "reallocCounted";
            case FREE -> "free";
            case ALIGNED_ALLOC -> inScope ? "alignedAlloc" : "alignedAllocCounted";
            case POSIX_MEMALIGN -> inScope ? "posixMemalign" : "posixMemalignCounted";
            case MALLOC_USABLE_SIZE -> "mallocUsableSize";
        };
        MethodType callType = callType(function);
        MethodHandle call = LOOKUP.findStatic(RoutedCalls.class, name, callType.insertParameterTypes(0, MethodHandle.class));
        MethodHandle routed = MethodHandles.insertArguments(call, 0, convert(original, callType));
        return convert(routed, original.type()).asType(original.type());
    }

    /** The routed call's own type: every pointer a {@code long}, except posix_memalign's out-parameter. */
    private static MethodType callType(LibcFunction function) {
        return switch (function) {
            case MALLOC -> MethodType.methodType(long.class, long.class);
            case CALLOC, REALLOC, ALIGNED_ALLOC -> MethodType.methodType(long.class, long.class, long.class);
            case FREE -> MethodType.methodType(void.class, long.class);
            case POSIX_MEMALIGN -> MethodType.methodType(int.class, MemorySegment.class, long.class, long.class);
            case MALLOC_USABLE_SIZE -> MethodType.methodType(long.class, long.class);
        };
    }

    /**
     * Adapts {@code handle} to {@code target}'s parameter and return types, which differ from its
     * own only between {@code long} and {@code MemorySegment}: a segment becomes its address, an
     * address a zero-length segment (what a downcall returns for an {@code ADDRESS} result).
     */
    private static MethodHandle convert(MethodHandle handle, MethodType target) {
        MethodType have = handle.type();
        MethodHandle result = handle;
        for (int i = 0; i < have.parameterCount(); i++) {
            Class<?> got = have.parameterType(i);
            Class<?> want = target.parameterType(i);
            if (got == MemorySegment.class && want == long.class) {
                result = MethodHandles.filterArguments(result, i, SEGMENT);
            } else if (got == long.class && want == MemorySegment.class) {
                result = MethodHandles.filterArguments(result, i, POINTER);
            }
        }
        if (have.returnType() == MemorySegment.class && target.returnType() == long.class) {
            result = MethodHandles.filterReturnValue(result, POINTER);
        } else if (have.returnType() == long.class && target.returnType() == MemorySegment.class) {
            result = MethodHandles.filterReturnValue(result, SEGMENT);
        }
        return result;
    }

    /** A pointer argument, checked as the JDK's downcall checks it: native, its arena alive, this thread's to use. */
    private static long pointer(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("Heap segment not allowed: " + segment);
        }
        BlockCalls.checkAccess(segment);
        return segment.address();
    }

    /**
     * A handle of {@code original}'s type for {@code free}, {@code realloc} or
     * {@code malloc_usable_size} bound in any shape: a block Emma owns is Emma's to free, resize or
     * measure ({@link BlockCalls}); any other call runs {@code original} with the same arguments,
     * so its checks, its captured state and its answer are the JDK's.
     *
     * @param address  the libc function's address
     * @param symbol   the bound symbol, or null for a handle that takes the symbol as its first argument
     * @param router   the active router (never replaced once active)
     * @param reports  whether libc's answers to a realloc are reported to the router (a caller in scope)
     * @return the guarded handle, or {@code original} if its type is not the one these options make
     */
    static MethodHandle guarded(LibcFunction function, long address, FunctionDescriptor descriptor, Linker.Option[] options,
                                MethodHandle original, MemorySegment symbol, Router router, boolean reports)
            throws ReflectiveOperationException {
        boolean generic = symbol == null;
        boolean capture = Arrays.stream(options).anyMatch(BlockCalls::isCapture);
        MethodType type = original.type();
        MethodType expected = descriptor.toMethodType();
        if (capture) {
            expected = expected.insertParameterTypes(0, MemorySegment.class);
        }
        if (generic) {
            expected = expected.insertParameterTypes(0, MemorySegment.class);
        }
        if (!type.equals(expected)) {
            return original;
        }
        int pointer = (generic ? 1 : 0) + (capture ? 1 : 0);
        MethodType coreType = switch (function) {
            case FREE -> MethodType.methodType(boolean.class, Router.class, long.class, MemorySegment.class, MemorySegment.class, long.class);
            case MALLOC_USABLE_SIZE -> MethodType.methodType(long.class, Router.class, long.class, MemorySegment.class, MemorySegment.class, long.class);
            case REALLOC -> MethodType.methodType(long.class, Router.class, long.class, long.class, MemorySegment.class, MemorySegment.class,
                    long.class, long.class);
            default -> throw new IllegalArgumentException(function + " hands out memory: not guarded");
        };
        String name = switch (function) {
            case FREE -> "free";
            case MALLOC_USABLE_SIZE -> "usableSize";
            default -> "realloc";
        };
        MethodHandle core = LOOKUP.findStatic(BlockCalls.class, name, coreType);
        core = function == LibcFunction.REALLOC
                ? MethodHandles.insertArguments(core, 0, router, address, BlockCalls.errnoOffset(options))
                : MethodHandles.insertArguments(core, 0, router, address);
        // now (symbol, capture, pointer[, size]): bring it to the original's parameters
        if (!generic) {
            core = MethodHandles.insertArguments(core, 0, symbol);
        }
        if (!capture) {
            core = MethodHandles.insertArguments(core, generic ? 1 : 0, BlockCalls.NO_CAPTURE);
        }
        if (type.parameterType(pointer) == MemorySegment.class) {
            core = MethodHandles.filterArguments(core, pointer, GUARDED_ADDRESS);
        }
        if (function == LibcFunction.FREE) {
            return MethodHandles.guardWithTest(core, MethodHandles.empty(type), original);
        }
        MethodHandle answer = MethodHandles.identity(long.class);
        if (type.returnType() == MemorySegment.class) {
            MemoryLayout result = descriptor.returnLayout().orElseThrow();
            answer = result instanceof AddressLayout layout && layout.targetLayout().isPresent()
                    ? MethodHandles.insertArguments(SIZED_SEGMENT, 1, layout) : SEGMENT;
        }
        MethodHandle choose = MethodHandles.guardWithTest(
                MethodHandles.dropArguments(HANDLED, 1, type.parameterList()),
                MethodHandles.dropArguments(answer, 1, type.parameterList()),
                MethodHandles.dropArguments(function == LibcFunction.REALLOC && reports ? noting(original, router, address, symbol) : original,
                        0, long.class));
        return MethodHandles.foldArguments(choose, core);
    }

    /**
     * {@code original} (a guarded realloc), reporting its answer to the router ({@link BlockCalls#noted}):
     * a block libc resized or allocated is counted and sampled, as on the plain route.
     */
    private static MethodHandle noting(MethodHandle original, Router router, long address, MemorySegment symbol)
            throws ReflectiveOperationException {
        MethodType type = original.type();
        Class<?> result = type.returnType();
        MethodHandle note = LOOKUP.findStatic(BlockCalls.class, "noted",
                MethodType.methodType(result, Router.class, long.class, MemorySegment.class, result, long.class));
        note = MethodHandles.insertArguments(note, 0, router, address); // (symbol, result, size)
        MethodType withResult = type.insertParameterTypes(0, result);   // (result, [symbol,] [capture,] pointer, size)
        int size = withResult.parameterCount() - 1;
        note = symbol != null
                ? MethodHandles.permuteArguments(MethodHandles.insertArguments(note, 0, symbol), withResult, 0, size)
                : MethodHandles.permuteArguments(note, withResult, 1, 0, size); // the generic handle's symbol comes first
        return MethodHandles.foldArguments(note, original);
    }

    private static boolean handled(long answer) {
        return answer != Router.NOT_HANDLED;
    }

    /**
     * The segment a downcall returns for a pointer result with a target layout: read through the
     * caller's own layout, so its size and its alignment check are the JDK's (no restricted call).
     */
    private static MemorySegment sizedSegment(long address, AddressLayout layout) {
        return MemorySegment.ofArray(new long[] {address}).get(layout.withOrder(ByteOrder.nativeOrder()).withByteAlignment(1), 0);
    }
}
