package dev.emma.agent.observe.sites;

import dev.emma.bridge.Route;
import java.lang.StackWalker.StackFrame;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads a sampled allocation's site, and its route where the router could not tell it, from the
 * allocating thread's stack ({@link StackWalker}: the classes on the stack are loaded already, so
 * nothing is loaded or initialised by looking at them).
 *
 * <p>A frame is the JDK's when its class was defined by the bootstrap or the platform loader (the
 * core and the bridge are bootstrap classes too); the agent's when its class comes from the agent's
 * jar (the same protection domain as this class) or is the bridge's outside the bootstrap loader
 * (unit tests). The site starts at the first frame that is neither.
 *
 * <p>Route: Emma's blocks are sampled behind the bridge's compilation boundary, which does not know
 * which door they came in by, and the router says {@link Route#JDK} for the JDK's internal
 * {@code Unsafe.allocateMemory}, whose caller it does not know either. The first frame below that
 * says which route it is: the bridge's {@code AppUnsafe} or {@code sun.misc.Unsafe} (the
 * application's Unsafe), {@code DirectBufferBridge} or {@code java.nio.DirectByteBuffer} (a direct
 * buffer), the bridge's Linker calls, {@code jdk.internal.foreign} (an FFM arena); none of them: the
 * JDK's own use.
 */
final class SiteFinder implements Function<Stream<StackFrame>, SiteFinder.Found> {

    /** Frames in a site: the allocating method and two callers. */
    static final int DEPTH = 3;
    /** Frames looked at for the first one outside the JDK and the agent. */
    static final int MAX_FRAMES = 128;

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    private static final ProtectionDomain AGENT = SiteFinder.class.getProtectionDomain();

    /** What a sample's stack says. */
    record Found(Site site, Route route) {
    }

    private final Route hint;

    private SiteFinder(Route hint) {
        this.hint = hint;
    }

    /** The site of the allocation the current thread is making; {@code hint} is the router's route. */
    static Found find(Route hint) {
        return WALKER.walk(new SiteFinder(hint));
    }

    @Override
    public Found apply(Stream<StackFrame> stack) {
        Route route = hint;
        boolean routeKnown = hint != Route.JDK;
        List<String> application = new ArrayList<>(DEPTH);
        List<String> jdk = new ArrayList<>(DEPTH);
        Iterator<StackFrame> frames = stack.limit(MAX_FRAMES).iterator();
        while (frames.hasNext() && application.size() < DEPTH) {
            StackFrame frame = frames.next();
            Class<?> type = frame.getDeclaringClass();
            String name = type.getName();
            if (!application.isEmpty() || isApplication(type, name)) {
                application.add(describe(frame, name));
                continue;
            }
            if (!routeKnown) {
                Route caller = routeOf(name);
                if (caller != null) {
                    route = caller;
                    routeKnown = true;
                }
            }
            if (jdk.size() < DEPTH && !isAllocationMachinery(name)) {
                jdk.add(describe(frame, name));
            }
        }
        boolean jdkOnly = application.isEmpty();
        return new Found(new Site(RouteNames.of(route), jdkOnly, List.copyOf(jdkOnly ? jdk : application)), route);
    }

    private static boolean isApplication(Class<?> type, String name) {
        ClassLoader loader = type.getClassLoader();
        return loader != null && loader != PLATFORM && type.getProtectionDomain() != AGENT && !name.startsWith("dev.emma.bridge.");
    }

    private static Route routeOf(String name) {
        if (name.equals("dev.emma.bridge.AppUnsafe") || name.equals("sun.misc.Unsafe")) {
            return Route.UNSAFE;
        }
        if (name.equals("dev.emma.bridge.DirectBufferBridge") || name.equals("java.nio.DirectByteBuffer")) {
            return Route.DIRECT;
        }
        if (name.startsWith("dev.emma.bridge.linker.")) {
            return Route.LINKER;
        }
        if (name.startsWith("jdk.internal.foreign.")) {
            return Route.FFM;
        }
        return null;
    }

    /** Frames every allocation of a route passes through: not a site of their own. */
    private static boolean isAllocationMachinery(String name) {
        return name.startsWith("dev.emma.") || name.startsWith("jdk.internal.foreign.") || name.startsWith("java.lang.invoke.")
                || name.equals("jdk.internal.misc.Unsafe") || name.equals("sun.misc.Unsafe")
                || name.equals("java.nio.DirectByteBuffer") || name.equals("java.nio.ByteBuffer");
    }

    /** {@code class.method(File.java:line)}; a StringBuilder, not string concatenation (no bootstrap method to link here). */
    private static String describe(StackFrame frame, String className) {
        StringBuilder text = new StringBuilder(96).append(className).append('.').append(frame.getMethodName()).append('(');
        String file = frame.getFileName();
        int line = frame.getLineNumber();
        if (file == null) {
            text.append("Unknown Source");
        } else {
            text.append(file);
            if (line >= 0) {
                text.append(':').append(line);
            }
        }
        return text.append(')').toString();
    }
}
