package dev.emma.agent.install;

import java.util.List;
import java.util.function.Function;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

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

    private RouteTargets() {
    }

    static AgentBuilder add(AgentBuilder builder, Function<Class<?>, Advice> advice, List<String> targets) {
        targets.addAll(List.of(DEALLOCATOR, SEGMENT_CLEANUP, LINKER));
        return builder
                .type(named(DEALLOCATOR))
                .transform((type, description, loader, module, domain) -> type
                        .visit(advice.apply(DeallocatorAdvice.class).on(named("run").and(takesArguments(0)))))
                .type(named(SEGMENT_CLEANUP))
                .transform((type, description, loader, module, domain) -> type
                        .visit(advice.apply(SegmentCleanupAdvice.class).on(named("cleanup").and(takesArguments(0)))))
                .type(named(LINKER))
                .transform((type, description, loader, module, domain) -> type
                        .visit(advice.apply(LinkerAdvice.class).on(named("downcallHandle").and(takesArguments(3)))));
    }
}
