package dev.emma.agent.install;

import dev.emma.bridge.Bridge;
import dev.emma.bridge.DirectBufferBridge;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Retransforms the JDK classes through which Java code allocates off-heap memory. The classes are
 * loaded long before the agent runs, and they are bootstrap classes, which Byte Buddy ignores by
 * default: hence retransformation, an empty ignore matcher and exact class names. Class formats are
 * not changed (no new members), which retransformation forbids anyway and which keeps it fast.
 */
public final class Installer {

    public static final String UNSAFE = "jdk.internal.misc.Unsafe";
    public static final String DIRECT_BYTE_BUFFER = "java.nio.DirectByteBuffer";
    public static final String SEGMENT_FACTORIES = "jdk.internal.foreign.SegmentFactories";
    // Route accounting and the Linker route (agent-route): see RouteTargets.

    private final Instrumentation instrumentation;
    private final ClassFileLocator adviceLocator;

    public Installer(Instrumentation instrumentation, File agentJar) throws IOException {
        this.instrumentation = instrumentation;
        this.adviceLocator = ClassFileLocator.ForJarFile.of(agentJar);
    }

    /**
     * Lets {@code java.base} call the bridge (a read edge to the bootstrap loader's unnamed module)
     * and lets the bridge use the JDK's internal Unsafe for the native fallback of direct buffers.
     */
    public void openJavaBase() {
        Module bridge = Bridge.class.getModule();
        instrumentation.redefineModule(Object.class.getModule(), Set.of(bridge),
                Map.of("jdk.internal.misc", Set.of(bridge)), Map.of(), Set.of(), Map.of());
        RouteTargets.openModules(instrumentation, bridge); // agent-route
    }

    /**
     * Installs the transformations and retransforms the classes.
     *
     * @param directBuffers whether to take over direct-buffer allocation and zeroing (JDK 25's code)
     */
    public InstallResult install(boolean directBuffers) {
        InstallListener listener = new InstallListener();
        ByteBuddy byteBuddy = new ByteBuddy().with(TypeValidation.DISABLED);
        AgentBuilder builder = new AgentBuilder.Default(byteBuddy)
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(listener)
                .ignore(none())
                .type(named(UNSAFE))
                .transform((type, description, loader, module, domain) -> type
                        .visit(advice(AllocateMemoryAdvice.class).on(named("allocateMemory").and(takesArguments(long.class))))
                        .visit(advice(ReallocateMemoryAdvice.class).on(named("reallocateMemory").and(takesArguments(long.class, long.class))))
                        .visit(advice(FreeMemoryAdvice.class).on(named("freeMemory").and(takesArguments(long.class)))))
                .type(named(SEGMENT_FACTORIES))
                .transform((type, description, loader, module, domain) -> type
                        .visit(advice(SegmentAllocationAdvice.class).on(named("allocateMemoryWrapper").and(takesArguments(long.class)))));
        List<String> targets = new ArrayList<>(List.of(UNSAFE, SEGMENT_FACTORIES));
        builder = RouteTargets.add(builder, this::advice, targets);
        if (directBuffers) {
            builder = builder.type(named(DIRECT_BYTE_BUFFER))
                    .transform((type, description, loader, module, domain) -> type.visit(directBufferSubstitution()));
            targets.add(DIRECT_BYTE_BUFFER);
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : targets) {
            try {
                classes.add(Class.forName(name, false, null));
            } catch (ClassNotFoundException e) {
                // not in this JDK: nothing to do for it
            }
        }
        Set<String> internalNames = new HashSet<>();
        for (Class<?> type : classes) {
            internalNames.add(type.getName().replace('.', '/'));
        }
        ClassFileTransformer transformer = new TargetFilter(internalNames, builder.makeRaw());
        instrumentation.addTransformer(transformer, true);
        Throwable retransformError = null;
        try {
            instrumentation.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError e) {
            retransformError = e;
        }
        return new InstallResult(listener.transformed(), listener.errors(), retransformError);
    }

    private Advice advice(Class<?> type) {
        return Advice.to(type, adviceLocator);
    }

    private static AsmVisitorWrapper directBufferSubstitution() {
        try {
            return MemberSubstitution.relaxed()
                    .method(named("allocateMemory").and(isDeclaredBy(named(UNSAFE))).and(takesArguments(long.class)))
                    .replaceWith(DirectBufferBridge.class.getMethod("allocateMemory", Object.class, long.class))
                    .method(named("setMemory").and(isDeclaredBy(named("java.nio.Bits"))).and(takesArguments(long.class, long.class, byte.class)))
                    .replaceWith(DirectBufferBridge.class.getMethod("setMemory", long.class, long.class, byte.class))
                    .on(isConstructor().and(takesArguments(int.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
