package dev.emma.agent.inject;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the classes that JDK code calls (the core and the bridge) in the bootstrap class loader.
 *
 * <p>Why not {@code Instrumentation.appendToBootstrapClassLoaderSearch}: with a CDS archive in use
 * (the default) the JVM then prints "Sharing is only supported for boot loader classes because
 * bootstrap classpath has been appended" on stderr and stops sharing application classes.
 *
 * <p>This class runs in its own named module (a module layer with just this package), and only that
 * module is given access to {@code jdk.internal.misc}, whose {@code Unsafe.defineClass} accepts the
 * bootstrap loader: the application's code gains no access it did not have. It must not use any
 * other class of the agent jar (they would be loaded a second time, by the layer's loader).
 */
public final class BootInjector {

    private BootInjector() {
    }

    /**
     * @param prefixes entry-name prefixes of the classes to define, e.g. {@code dev/emma/}
     * @param excluded entry-name prefixes not to define although under a prefix, unless a longer
     *                 prefix includes them again (e.g. {@code dev/emma/agent/} out, {@code dev/emma/agent/x/} in)
     * @return how many classes were defined
     */
    public static int inject(Instrumentation instrumentation, String agentJar, List<String> prefixes, List<String> excluded)
            throws Throwable {
        Module self = BootInjector.class.getModule();
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.misc", Set.of(self)),
                Map.of(), Set.of(), Map.of());
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Object unsafe = lookup.findStatic(unsafeType, "getUnsafe", MethodType.methodType(unsafeType)).invoke();
        MethodHandle define = lookup.findVirtual(unsafeType, "defineClass", MethodType.methodType(Class.class,
                String.class, byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class)).bindTo(unsafe);
        Map<String, byte[]> pending = readClasses(agentJar, prefixes, excluded);
        return defineAll(define, pending);
    }

    /**
     * Defines the classes, retrying those whose superclass or interface was not defined yet: the
     * JVM resolves supertypes when a class is defined, everything else lazily.
     */
    private static int defineAll(MethodHandle define, Map<String, byte[]> pending) throws Throwable {
        int defined = 0;
        while (!pending.isEmpty()) {
            List<String> done = new ArrayList<>();
            Throwable last = null;
            for (Map.Entry<String, byte[]> entry : pending.entrySet()) {
                byte[] bytes = entry.getValue();
                try {
                    Class<?> type = (Class<?>) define.invoke(entry.getKey(), bytes, 0, bytes.length, (ClassLoader) null,
                            (ProtectionDomain) null);
                    if (type != null) {
                        done.add(entry.getKey());
                    }
                } catch (NoClassDefFoundError e) {
                    last = e; // a supertype still pending: next round
                }
            }
            if (done.isEmpty()) {
                throw new IllegalStateException("cannot define " + pending.keySet() + " in the bootstrap loader", last);
            }
            done.forEach(pending::remove);
            defined += done.size();
        }
        return defined;
    }

    private static Map<String, byte[]> readClasses(String agentJar, List<String> prefixes, List<String> excluded)
            throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(agentJar)) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.endsWith(".class") && selects(name, prefixes, excluded)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
                    }
                }
            }
        }
        return classes;
    }

    /** Whether the longest matching prefix is an included one. */
    static boolean selects(String name, List<String> prefixes, List<String> excluded) {
        return longestMatch(name, prefixes) > longestMatch(name, excluded);
    }

    private static int longestMatch(String name, List<String> prefixes) {
        int longest = -1;
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                longest = Math.max(longest, prefix.length());
            }
        }
        return longest;
    }
}
