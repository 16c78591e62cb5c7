package dev.emma.agent.inject;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Set;

/**
 * A named module that the agent defines in the bootstrap class loader, from class files stored in
 * the agent jar under {@value #DIRECTORY}{@code <name>/} (where the system class loader never looks,
 * so no second copy of these classes can ever be loaded from the class path).
 *
 * @param name         module name; its classes are {@code META-INF/emma-boot/<name>/<package path>/<class>.class}
 * @param exports      packages exported to every module; empty means all of its packages
 * @param requires     other boot modules it reads (it reads {@code java.base} anyway)
 * @param readBy       the JDK modules that read it: their instrumented code calls it
 * @param jdkInternals {@code java.base} packages exported to it
 */
record BootModule(String name, Set<String> exports, List<String> requires, List<String> readBy, Set<String> jdkInternals) {

    static final String DIRECTORY = "META-INF/emma-boot/";

    /**
     * The core (the allocator: only its API and its option table are exported) and the bridge
     * (what instrumented JDK code calls). In this order: a module's requirements come first.
     */
    static final List<BootModule> ALL = List.of(
            new BootModule("dev.emma.core", Set.of("dev.emma", "dev.emma.options"), List.of(), List.of(), Set.of()),
            new BootModule("dev.emma.bridge", Set.of(), List.of("dev.emma.core"), List.of("java.base", "java.management", "jdk.jfr", "jdk.unsupported"),
                    Set.of("jdk.internal.misc", "jdk.internal.access")));

    /** The folder of the agent jar that holds this module's class files. */
    String folder() {
        return DIRECTORY + name + "/";
    }

    ModuleDescriptor descriptor(Set<String> packages) {
        ModuleDescriptor.Builder builder = ModuleDescriptor.newModule(name).packages(packages);
        for (String required : requires) {
            builder.requires(required);
        }
        for (String exported : exported(packages)) {
            builder.exports(exported);
        }
        return builder.build();
    }

    Set<String> exported(Set<String> packages) {
        if (exports.isEmpty()) {
            return packages;
        }
        if (!packages.containsAll(exports)) {
            throw new IllegalStateException(name + " lacks packages it should export: " + exports + " (it has " + packages + ")");
        }
        return exports;
    }
}
