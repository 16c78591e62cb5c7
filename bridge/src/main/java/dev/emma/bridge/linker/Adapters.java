package dev.emma.bridge.linker;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Builds a routed handle of exactly the original handle's type. {@link RoutedCalls} works on
 * {@code long} addresses (and a segment for {@code posix_memalign}'s out-parameter); the original
 * may take and return {@code MemorySegment}s instead, so the original is adapted to the routed
 * call's types and the routed call back to the original's.
 */
final class Adapters {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    /** (MemorySegment) long: a native segment's address; a heap segment is refused as the JDK's downcall refuses it. */
    private static final MethodHandle POINTER;
    /** (long) MemorySegment: a zero-length segment at the address, as a downcall returns for ADDRESS. */
    private static final MethodHandle SEGMENT;

    static {
        try {
            POINTER = LOOKUP.findStatic(Adapters.class, "pointer", MethodType.methodType(long.class, MemorySegment.class));
            SEGMENT = LOOKUP.findStatic(MemorySegment.class, "ofAddress", MethodType.methodType(MemorySegment.class, long.class));
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

    private static long pointer(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("Heap segment not allowed: " + segment);
        }
        return segment.address();
    }
}
