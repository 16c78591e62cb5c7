package dev.emma.agent.startup;

import java.io.IOException;
import java.io.InputStream;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A class loader of its own for the injector ({@code dev.emma.agent.inject}), read from the agent
 * jar: {@code java.base} exports its internals to this loader's unnamed module only, which holds
 * nothing but the injector, not to the application's class path. (A module layer would do the
 * same with a named module, at the cost of resolving a configuration: tens of milliseconds of
 * start-up and lambdas spun.) Its parent is the platform loader: the injector sees the JDK, not the
 * rest of the agent.
 */
final class InjectorLoader extends ClassLoader {

    static final String PACKAGE = "dev.emma.agent.inject.";

    private final JarFile agentJar;

    InjectorLoader(JarFile agentJar) {
        super("emma-agent-injector", ClassLoader.getPlatformClassLoader());
        this.agentJar = agentJar;
    }

    /**
     * The injector's own classes first: asking the parent for them (the default) costs two
     * {@code ClassNotFoundException}s with their stack traces per class, heap garbage at start-up.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(PACKAGE)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            return loaded != null ? loaded : findClass(name);
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (!name.startsWith(PACKAGE)) {
            throw new ClassNotFoundException(name);
        }
        JarEntry entry = agentJar.getJarEntry(name.replace('.', '/') + ".class");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        try (InputStream in = agentJar.getInputStream(entry)) {
            long size = entry.getSize();
            byte[] bytes = size >= 0 ? in.readNBytes((int) size) : in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
