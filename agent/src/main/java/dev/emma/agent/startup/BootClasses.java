package dev.emma.agent.startup;

import java.lang.instrument.Instrumentation;
import java.util.function.Function;
import java.util.jar.JarFile;

/**
 * Puts the core and the bridge in the bootstrap loader as named modules, exactly once, before
 * anything touches them: {@code java.base} code calls them, so they must be bootstrap classes, and
 * the agent's own code (and the application's) then finds the same classes through normal
 * parent-first delegation. Their class files are stored in the agent jar under
 * {@code META-INF/emma-boot/}, which no class loader searches: agent code that named them before
 * this ran would fail with {@code NoClassDefFoundError} instead of loading a second copy. See
 * {@code dev.emma.agent.inject.BootInjector}.
 */
final class BootClasses {

    static final String INJECTOR_CLASS = "dev.emma.agent.inject.BootInjector";
    static final String PROBE_CLASS = "dev.emma.bridge.Bridge";

    private BootClasses() {
    }

    /** Whether an earlier start of an Emma agent in this JVM defined them already. */
    static boolean alreadyDefined() {
        try {
            Class.forName(PROBE_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * @param nativeAccess whether the modules get native access (only if the agent's own code has it)
     * @return the JDK's policy for code without native access: {@code allow}, {@code warn} or {@code deny}
     */
    static String define(Instrumentation instrumentation, JarFile jar, String agentJar, boolean nativeAccess) throws Exception {
        // An interface call on a new instance, not Method.invoke: reflection spins method handles.
        @SuppressWarnings("unchecked")
        Function<Object[], Object> injector = (Function<Object[], Object>) new InjectorLoader(jar)
                .loadClass(INJECTOR_CLASS).getDeclaredConstructor().newInstance();
        return (String) injector.apply(new Object[] {instrumentation, jar, agentJar, nativeAccess});
    }
}
