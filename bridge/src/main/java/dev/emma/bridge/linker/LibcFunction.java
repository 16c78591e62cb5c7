package dev.emma.bridge.linker;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The libc allocator functions a Linker downcall can be routed for, with the C signatures they
 * may be bound with: a size is a {@code size_t} ({@code JAVA_LONG}), a pointer either
 * {@code ADDRESS} (a {@code MemorySegment}, with or without a target layout) or {@code JAVA_LONG}
 * (Netty binds {@code malloc} as {@code long malloc(long)}). A descriptor of any other shape is
 * not routed.
 */
enum LibcFunction {
    MALLOC("malloc", Kind.POINTER, Kind.SIZE),
    CALLOC("calloc", Kind.POINTER, Kind.SIZE, Kind.SIZE),
    REALLOC("realloc", Kind.POINTER, Kind.POINTER, Kind.SIZE),
    FREE("free", null, Kind.POINTER),
    ALIGNED_ALLOC("aligned_alloc", Kind.POINTER, Kind.SIZE, Kind.SIZE),
    POSIX_MEMALIGN("posix_memalign", Kind.INT, Kind.POINTER, Kind.SIZE, Kind.SIZE),
    MALLOC_USABLE_SIZE("malloc_usable_size", Kind.SIZE, Kind.POINTER);

    /** What a C parameter or result is. */
    enum Kind {
        SIZE, POINTER, INT;

        boolean accepts(MemoryLayout layout, boolean targetLayouts) {
            return switch (this) {
                case SIZE -> layout.equals(ValueLayout.JAVA_LONG);
                case INT -> layout.equals(ValueLayout.JAVA_INT);
                case POINTER -> layout.equals(ValueLayout.JAVA_LONG)
                        || layout instanceof AddressLayout address && (targetLayouts || address.targetLayout().isEmpty())
                        && address.withoutTargetLayout().withoutName().equals(ValueLayout.ADDRESS);
            };
        }
    }

    final String symbol;
    private final Kind result;
    private final List<Kind> parameters;

    LibcFunction(String symbol, Kind result, Kind... parameters) {
        this.symbol = symbol;
        this.result = result;
        this.parameters = List.of(parameters);
    }

    /**
     * Whether a downcall bound with {@code descriptor} has this function's C signature, its pointers
     * plain {@code ADDRESS} or {@code JAVA_LONG} (the shapes {@link Adapters#routed} serves).
     */
    boolean matches(FunctionDescriptor descriptor) {
        return matches(descriptor, false);
    }

    /**
     * The same, any pointer with a target layout too (jextract's {@code C_POINTER}): the shapes
     * {@link Adapters#guarded} serves. {@code free} with any result too: the JDK binds
     * {@code int free(void*)}, a wrong declaration whose handle would still hand an Emma block to
     * libc; guarded, an Emma block's free answers 0.
     */
    boolean matchesAnyPointer(FunctionDescriptor descriptor) {
        if (this == FREE && descriptor.returnLayout().isPresent()) {
            return matches(FunctionDescriptor.ofVoid(descriptor.argumentLayouts().toArray(new MemoryLayout[0])), true);
        }
        return matches(descriptor, true);
    }

    private boolean matches(FunctionDescriptor descriptor, boolean targetLayouts) {
        List<MemoryLayout> arguments = descriptor.argumentLayouts();
        if (arguments.size() != parameters.size()) {
            return false;
        }
        for (int i = 0; i < arguments.size(); i++) {
            if (!parameters.get(i).accepts(arguments.get(i).withoutName(), targetLayouts)) {
                return false;
            }
        }
        return result == null ? descriptor.returnLayout().isEmpty()
                : descriptor.returnLayout().filter(layout -> result.accepts(layout.withoutName(), targetLayouts)).isPresent();
    }

    /** Functions that hand out new memory: routed only for callers in scope. */
    boolean allocates() {
        return this == MALLOC || this == CALLOC || this == ALIGNED_ALLOC || this == POSIX_MEMALIGN;
    }

    /**
     * Functions that must reach Emma for every Emma block, whoever bound them and however: an Emma
     * block that reaches libc's {@code free}, {@code realloc} or {@code malloc_usable_size} aborts
     * the process.
     */
    boolean takesBlocks() {
        return this == FREE || this == REALLOC || this == MALLOC_USABLE_SIZE;
    }
}
