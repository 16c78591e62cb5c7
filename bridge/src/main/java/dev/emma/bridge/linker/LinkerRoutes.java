package dev.emma.bridge.linker;

import dev.emma.bridge.Bridge;
import dev.emma.bridge.RouteMode;
import dev.emma.bridge.Router;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Linker route: when Java code binds libc's allocator through an FFM downcall
 * ({@code Linker.downcallHandle(symbol, descriptor, options)}, as Netty 4.2's
 * {@code CleanerJava24Linker}/{@code CleanerJava25Linker} do for {@code malloc} and {@code free}),
 * the handle it gets back is exchanged for one of the same type whose calls Emma serves.
 *
 * <p>What is routed, and for whom ({@link Scope}):
 * <ul>
 *   <li>{@code free}, {@code realloc} of a block Emma owns, and {@code malloc_usable_size}: for every
 *       caller. They only act differently on Emma's blocks, and whoever frees or resizes a block
 *       that a routed caller got from Emma must reach Emma, never libc.</li>
 *   <li>{@code malloc}, {@code calloc}, {@code aligned_alloc}, {@code posix_memalign} and
 *       {@code realloc(NULL, n)}: for callers in scope only. Memory a routed {@code malloc} hands
 *       out must never reach libc's own {@code free}: if the caller passes it to native code that
 *       frees it, the process crashes. The default scope is therefore the callers known to keep
 *       their blocks in Java and free them with their own handle (Netty), not every caller.
 *       Out-of-scope allocations stay native and are counted as uncovered.</li>
 * </ul>
 *
 * <p>Only symbols at the address of the default lookup's function are recognised (an allocator
 * preloaded with {@code LD_PRELOAD} is recognised as {@code malloc}). The plain shapes (pointers
 * {@code ADDRESS} without a target layout or {@code JAVA_LONG}, no option but
 * {@code critical(false)}) are {@link Adapters#routed}. {@code free}, {@code realloc} and
 * {@code malloc_usable_size} in any other shape the JDK accepts (target layouts, {@code critical},
 * {@code captureCallState}, the symbol given per call: {@link #routeGeneric}) are
 * {@link Adapters#guarded}: Emma's blocks go to Emma, every other call to the original handle.
 * The allocating functions in those shapes stay libc's. Handles bound before the agent was active
 * stay native. Nothing here throws: any failure returns the original handle.
 */
public final class LinkerRoutes {

    /** Which callers' allocations Emma serves. */
    public enum Scope {
        /** Callers whose class name starts with a known prefix (Netty). */
        KNOWN,
        /** Every caller. */
        ALL,
        /** No Linker handle is exchanged. */
        OFF;

        public static Scope parse(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Netty: its Cleaner*Linker classes free every block with the free handle they bound beside malloc. */
    public static final List<String> KNOWN_CALLERS = List.of("io.netty.");

    private static volatile Scope scope = Scope.KNOWN;
    private static volatile Map<Long, LibcFunction> functions;

    private LinkerRoutes() {
    }

    public static void configure(Scope newScope) {
        scope = newScope;
    }

    public static Scope scope() {
        return scope;
    }

    /**
     * Called when {@code AbstractLinker.downcallHandle(symbol, function, options)} returns
     * {@code handle}: the handle the caller gets. Never throws.
     */
    public static MethodHandle route(MemorySegment symbol, FunctionDescriptor function, Linker.Option[] options,
                                     MethodHandle handle) {
        return route(symbol, function, options, handle, Bridge.router(), scope);
    }

    static MethodHandle route(MemorySegment symbol, FunctionDescriptor function, Linker.Option[] options,
                              MethodHandle handle, Router router, Scope current) {
        try {
            if (handle == null || current == Scope.OFF || router.mode() == RouteMode.INACTIVE) {
                return handle;
            }
            LibcFunction libc = functionAt(symbol.address());
            if (libc == null) {
                return handle;
            }
            if (libc.matches(function) && plain(options) && handle.type().equals(function.toMethodType())) {
                boolean inScope = current == Scope.ALL || !libc.allocates() && libc != LibcFunction.REALLOC || callerInScope();
                return Adapters.routed(libc, inScope, handle);
            }
            if (libc.takesBlocks() && libc.matchesAnyPointer(function)) {
                // Any other shape of free, realloc, malloc_usable_size: an Emma block must still reach Emma.
                return Adapters.guarded(libc, symbol.address(), function, options, handle, symbol, router,
                        reportsAnswers(libc, current));
            }
            return handle; // a malloc-like in another shape: libc serves it, and its blocks stay libc's
        } catch (Throwable e) {
            return handle; // never break the application: the caller keeps libc
        }
    }

    /**
     * Called when {@code AbstractLinker.downcallHandle(function, options)} returns {@code handle}, a
     * handle that takes the symbol as its first argument: a descriptor that can be {@code free},
     * {@code realloc} or {@code malloc_usable_size}'s is guarded, and each call whose symbol is that
     * libc function's address gives Emma its own blocks. Allocations through such a handle stay
     * libc's. Never throws.
     */
    public static MethodHandle routeGeneric(FunctionDescriptor function, Linker.Option[] options, MethodHandle handle) {
        return routeGeneric(function, options, handle, Bridge.router(), scope);
    }

    static MethodHandle routeGeneric(FunctionDescriptor function, Linker.Option[] options, MethodHandle handle,
                                     Router router, Scope current) {
        try {
            if (handle == null || current == Scope.OFF || router.mode() == RouteMode.INACTIVE) {
                return handle;
            }
            functionAt(0); // resolves the functions once
            // Guarded for every function the descriptor can be: long f(long) is malloc_usable_size's,
            // and free's declared with a result. Each guard acts only on calls to its own symbol.
            MethodHandle guarded = handle;
            for (Map.Entry<Long, LibcFunction> known : functions.entrySet()) {
                LibcFunction libc = known.getValue();
                if (libc.takesBlocks() && libc.matchesAnyPointer(function)) {
                    guarded = Adapters.guarded(libc, known.getKey(), function, options, guarded, null, router,
                            reportsAnswers(libc, current));
                }
            }
            return guarded;
        } catch (Throwable e) {
            return handle;
        }
    }

    /** The libc function at {@code address}, or null. */
    static LibcFunction functionAt(long address) {
        Map<Long, LibcFunction> known = functions;
        if (known == null) {
            known = resolve();
            functions = known;
        }
        return known.get(address);
    }

    private static Map<Long, LibcFunction> resolve() {
        Map<Long, LibcFunction> found = new HashMap<>();
        SymbolLookup lookup = Linker.nativeLinker().defaultLookup();
        for (LibcFunction function : LibcFunction.values()) {
            Optional<MemorySegment> symbol = lookup.find(function.symbol);
            symbol.ifPresent(segment -> found.put(segment.address(), function));
        }
        return Map.copyOf(found);
    }

    /**
     * Whether a guarded realloc reports libc's answers (counted as native, sampled) as the plain
     * route does for callers in scope; out of scope, libc's blocks are not the agent's to count,
     * as on the plain route ({@code reallocCounted}).
     */
    private static boolean reportsAnswers(LibcFunction libc, Scope current) {
        return libc == LibcFunction.REALLOC && (current == Scope.ALL || callerInScope());
    }

    /** No option, or only {@code critical(false)}: the call's type and argument rules are the plain ones. */
    private static boolean plain(Linker.Option[] options) {
        for (Linker.Option option : options) {
            if (!option.equals(Linker.Option.critical(false))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the code that asked for the handle is a known caller (the first frame outside the JDK and this bridge). */
    private static boolean callerInScope() {
        Optional<String> caller = StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .filter(name -> !isPlatform(name))
                .findFirst());
        return caller.isPresent() && KNOWN_CALLERS.stream().anyMatch(prefix -> caller.get().startsWith(prefix));
    }

    private static boolean isPlatform(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("dev.emma.bridge.");
    }
}
