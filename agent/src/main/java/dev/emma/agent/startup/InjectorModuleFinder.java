package dev.emma.agent.startup;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds one small module, {@code dev.emma.agent.inject}, whose classes are read from the agent
 * jar through the agent's class loader. Declared here rather than found by scanning the jar: a
 * module finder over the 5 MB jar costs hundreds of milliseconds of start-up.
 */
final class InjectorModuleFinder implements ModuleFinder {

    static final String MODULE = "dev.emma.agent.inject";
    static final String PACKAGE = "dev.emma.agent.inject";

    private final ClassLoader source;
    private final ModuleReference reference;

    InjectorModuleFinder(ClassLoader source) {
        this.source = source;
        ModuleDescriptor descriptor = ModuleDescriptor.newModule(MODULE)
                .requires("java.instrument")
                .packages(Set.of(PACKAGE))
                .exports(PACKAGE)
                .build();
        this.reference = new ModuleReference(descriptor, URI.create("emma-agent:" + MODULE)) {
            @Override
            public ModuleReader open() {
                return new Reader();
            }
        };
    }

    @Override
    public Optional<ModuleReference> find(String name) {
        return MODULE.equals(name) ? Optional.of(reference) : Optional.empty();
    }

    @Override
    public Set<ModuleReference> findAll() {
        return Set.of(reference);
    }

    private final class Reader implements ModuleReader {
        @Override
        public Optional<URI> find(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<InputStream> open(String name) {
            if (!name.startsWith(PACKAGE.replace('.', '/') + "/")) {
                return Optional.empty();
            }
            return Optional.ofNullable(source.getResourceAsStream(name));
        }

        @Override
        public Stream<String> list() {
            return Stream.empty();
        }

        @Override
        public void close() throws IOException {
            // nothing held open
        }
    }
}
