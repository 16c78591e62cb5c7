package dev.emma.agent.inject;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.jar.JarFile;

/**
 * Defines the {@link BootModule}s (the core and the bridge) as named modules of the bootstrap class
 * loader, and their classes in them.
 *
 * <p>Named modules, not the bootstrap loader's unnamed module: on JDK 24+ a restricted method
 * (e.g. {@code Linker.downcallHandle}) called from ANY unnamed module checks, warns about and then
 * enables native access for ALL unnamed modules, the application's class path included, and that
 * changes which code path libraries take (Netty 4.2 switches to {@code malloc} through FFM). In a
 * named module the JDK's check, its warning and its flag concern that module only. Native access is
 * granted to our modules only when the operator granted it to the agent's own code
 * ({@code --enable-native-access=ALL-UNNAMED}); otherwise they stay under the JDK's default policy.
 *
 * <p>Why not {@code Instrumentation.appendToBootstrapClassLoaderSearch}: it cannot make a named
 * module, and with a CDS archive in use (the default) the JVM then prints "Sharing is only supported
 * for boot loader classes because bootstrap classpath has been appended".
 *
 * <p>This package runs in a class loader of its own (see {@code dev.emma.agent.startup.InjectorLoader}),
 * and only that loader's unnamed module is given access to {@code java.base}'s internals: the
 * application's code gains no access it did not have. It calls them directly (compiled with
 * {@code --add-exports}), not through method handles, which would cost start-up time. It must not
 * use any class of the agent jar outside its package (that loader cannot see them).
 */
public final class BootInjector implements Function<Object[], Object> {

    /** {instrumentation, agent jar (open), agent jar path, native access}; returns the JDK's native-access policy. */
    @Override
    public Object apply(Object[] parameters) {
        try {
            return inject((Instrumentation) parameters[0], (JarFile) parameters[1], (String) parameters[2], (Boolean) parameters[3]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param nativeAccess whether to enable native access for the modules (the agent's code has it)
     * @return the JDK's policy for code without native access: {@code allow}, {@code warn} or {@code deny}
     */
    static String inject(Instrumentation instrumentation, JarFile jar, String jarPath, boolean nativeAccess) throws IOException {
        Module javaBase = Object.class.getModule();
        Set<Module> self = Set.of(BootInjector.class.getModule());
        instrumentation.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", self, "jdk.internal.access", self,
                "jdk.internal.module", self), Map.of(), Set.of(), Map.of());
        // Only now may JdkInternals be resolved: java.base exports its packages to this module.
        JdkInternals jdk = new JdkInternals();
        URI location = new File(jarPath).toURI();
        ProtectionDomain domain = new ProtectionDomain(new CodeSource(location.toURL(), (Certificate[]) null), null);
        Map<String, Module> defined = new HashMap<>();
        for (BootModule spec : BootModule.ALL) {
            List<String> names = ClassFiles.names(jar, spec.name());
            ModuleDescriptor descriptor = spec.descriptor(packagesOf(names));
            Module module = jdk.defineModule(descriptor, URI.create(location + "!/" + spec.folder()));
            jdk.addReads(module, javaBase);
            for (String required : spec.requires()) {
                jdk.addReads(module, defined.get(required));
            }
            for (String exported : spec.exported(descriptor.packages())) {
                jdk.addExports(module, exported);
            }
            if (nativeAccess) {
                jdk.enableNativeAccess(module);
            }
            for (String reader : spec.readBy()) {
                Optional<Module> jdkModule = ModuleLayer.boot().findModule(reader);
                if (jdkModule.isPresent()) { // a runtime image may lack java.management
                    jdk.addReads(jdkModule.get(), module);
                }
            }
            for (String internal : spec.jdkInternals()) {
                jdk.addExports(javaBase, internal, module);
            }
            defined.put(spec.name(), module);
            defineAll(jdk, new ClassFiles(jar, spec.folder()), names, domain);
        }
        return jdk.nativeAccessPolicy();
    }

    private static Set<String> packagesOf(List<String> classNames) {
        Set<String> packages = new TreeSet<>();
        for (String name : classNames) {
            packages.add(name.substring(0, name.lastIndexOf('.')));
        }
        return packages;
    }

    /**
     * Defines the classes in one pass, each from the source's buffer as soon as it is read: the JVM
     * resolves a class's supertypes when it defines it (everything else lazily), so a class whose
     * supertype is still pending fails with {@code NoClassDefFoundError} naming it; that supertype is
     * defined first, then the class is read again and defined. Supertypes are few (a handful of
     * exceptions and interfaces).
     */
    static void defineAll(Definer jdk, Source classFiles, List<String> names, ProtectionDomain domain) throws IOException {
        Set<String> pending = new HashSet<>(names);
        for (String name : names) {
            define(jdk, classFiles, name, pending, domain);
        }
    }

    private static void define(Definer jdk, Source classFiles, String name, Set<String> pending, ProtectionDomain domain)
            throws IOException {
        if (!pending.remove(name)) {
            return; // defined already, as another's supertype
        }
        while (true) { // ends: each round defines a pending supertype (removed from pending) or throws
            int length = classFiles.read(name); // again after a supertype: that used the buffer
            try {
                jdk.defineBootClass(name, classFiles.buffer(), length, domain);
                return;
            } catch (NoClassDefFoundError e) {
                String supertype = e.getMessage() == null ? "" : e.getMessage().replace('/', '.');
                if (!pending.contains(supertype)) {
                    throw new IllegalStateException("cannot define " + name + " in the bootstrap loader", e);
                }
                define(jdk, classFiles, supertype, pending, domain);
            }
        }
    }

    /** Class files by binary name, each read into one shared buffer (a seam for tests). */
    interface Source {
        /** Reads the class file into {@link #buffer()}, replacing what was there; returns its length. */
        int read(String className) throws IOException;

        byte[] buffer();
    }

    /** Defines one class in the bootstrap loader (a seam for tests). */
    interface Definer {
        /** The class file is {@code bytes[0, length)}. */
        void defineBootClass(String name, byte[] bytes, int length, ProtectionDomain domain);
    }
}
