package dev.emma.agent.install;

import dev.emma.bridge.AppUnsafe;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.MemberSubstitution;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The targets that attribute memory to routes and route libc's allocator behind FFM Linker
 * downcalls. Each is optional: a JDK whose class differs (another name, another captured field)
 * fails that one transformation, which the installer reports and goes on without.
 */
final class RouteTargets {

    /** A direct buffer's Cleaner action: the direct route's frees. */
    static final String DEALLOCATOR = "java.nio.DirectByteBuffer$Deallocator";
    /** The cleanup action of a block an FFM arena allocated (JDK 25: an anonymous class). */
    static final String SEGMENT_CLEANUP = "jdk.internal.foreign.SegmentFactories$1";
    /** Where every {@code Linker.downcallHandle(symbol, ...)} is made. */
    static final String LINKER = "jdk.internal.foreign.abi.AbstractLinker";
    /** The application's Unsafe (module jdk.unsupported): its allocations are told apart from the JDK's own. */
    static final String SUN_MISC_UNSAFE = "sun.misc.Unsafe";

    private RouteTargets() {
    }

    /** jdk.unsupported calls the bridge from {@code sun.misc.Unsafe}: it needs a read edge to it. */
    static void openModules(Instrumentation instrumentation, Module bridge) {
        try {
            Class<?> unsafe = Class.forName(SUN_MISC_UNSAFE, false, null);
            instrumentation.redefineModule(unsafe.getModule(), Set.of(bridge), Map.of(), Map.of(), Set.of(), Map.of());
        } catch (ClassNotFoundException e) {
            // a runtime image without jdk.unsupported: nothing calls sun.misc.Unsafe
        }
    }

    /**
     * Adds the targets whose shape this JDK has (JDK 25's: a class or captured field of another
     * name on another JDK leaves that accounting out, silently, rather than logging a failure).
     */
    static AgentBuilder add(AgentBuilder builder, Function<Class<?>, Advice> advice, List<String> targets) {
        AgentBuilder result = builder;
        if (hasField(DEALLOCATOR, "size")) {
            targets.add(DEALLOCATOR);
            result = result.type(named(DEALLOCATOR)).transform((type, description, loader, module, domain) -> type
                    .visit(advice.apply(DeallocatorAdvice.class).on(named("run").and(takesArguments(0)))));
        }
        if (hasField(SEGMENT_CLEANUP, "val$allocationSize")) {
            targets.add(SEGMENT_CLEANUP);
            result = result.type(named(SEGMENT_CLEANUP)).transform((type, description, loader, module, domain) -> type
                    .visit(advice.apply(SegmentCleanupAdvice.class).on(named("cleanup").and(takesArguments(0)))));
        }
        targets.addAll(List.of(LINKER, SUN_MISC_UNSAFE));
        return result
                .type(named(SUN_MISC_UNSAFE))
                .transform((type, description, loader, module, domain) -> type.visit(applicationUnsafe()))
                .type(named(LINKER))
                .transform((type, description, loader, module, domain) -> type
                        .visit(advice.apply(LinkerAdvice.class).on(named("downcallHandle").and(takesArguments(3)))));
    }

    private static boolean hasField(String className, String field) {
        try {
            Class.forName(className, false, null).getDeclaredField(field);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /** In {@code sun.misc.Unsafe.allocateMemory(long)}: its call to the internal Unsafe goes to {@link AppUnsafe}. */
    private static AsmVisitorWrapper applicationUnsafe() {
        try {
            return MemberSubstitution.relaxed()
                    .method(named("allocateMemory").and(isDeclaredBy(named(Installer.UNSAFE))).and(takesArguments(long.class)))
                    .replaceWith(AppUnsafe.class.getMethod("allocateMemory", Object.class, long.class))
                    .on(named("allocateMemory").and(takesArguments(long.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
