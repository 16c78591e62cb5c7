package dev.emma.agent.inject;

import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.security.ProtectionDomain;
import jdk.internal.access.JavaLangAccess;
import jdk.internal.access.SharedSecrets;
import jdk.internal.misc.Unsafe;
import jdk.internal.module.ModuleBootstrap;

/**
 * The {@code java.base} internals the injector needs, called directly. Resolved only after
 * {@code java.base} exported their packages to this module ({@link BootInjector} does that first):
 * the JVM checks module access when it resolves a call, not when it loads this class.
 */
final class JdkInternals implements BootInjector.Definer {

    private final JavaLangAccess lang = SharedSecrets.getJavaLangAccess();
    private final Unsafe unsafe = Unsafe.getUnsafe();

    /** In the bootstrap loader (null); the module's packages become the module's in the JVM too. */
    Module defineModule(ModuleDescriptor descriptor, URI location) {
        return lang.defineModule(null, descriptor, location);
    }

    void addReads(Module from, Module to) {
        lang.addReads(from, to);
    }

    /** To every module. */
    void addExports(Module module, String packageName) {
        lang.addExports(module, packageName);
    }

    void addExports(Module module, String packageName, Module to) {
        lang.addExports(module, packageName, to);
    }

    void enableNativeAccess(Module module) {
        lang.addEnableNativeAccess(module);
    }

    /** A class of a package of a module defined above lands in that module. */
    @Override
    public void defineBootClass(String name, byte[] bytes, int length, ProtectionDomain domain) {
        unsafe.defineClass(name, bytes, 0, length, null, domain);
    }

    /** {@code --illegal-native-access}: {@code allow}, {@code warn} or {@code deny}. */
    String nativeAccessPolicy() {
        return ModuleBootstrap.illegalNativeAccess().name().toLowerCase(java.util.Locale.ROOT);
    }
}
