package dev.emma.agent.startup;

import java.lang.instrument.Instrumentation;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Puts the core ({@code dev.emma.*}) and the bridge ({@code dev.emma.bridge.*}) in the
 * bootstrap loader, exactly once, before anything touches them: {@code java.base} code calls
 * them, so they must be bootstrap classes, and the agent's own code then finds the same classes
 * through normal parent-first delegation. See {@code dev.emma.agent.inject.BootInjector}.
 */
final class BootClasses {

    static final String INJECTOR_CLASS = "dev.emma.agent.inject.BootInjector";
    static final String PROBE_CLASS = "dev.emma.bridge.Bridge";

    /** The core and the bridge (modules core/ and bridge/); the agent (dev.emma.agent) stays with the agent's class loader. */
    static final List<String> PREFIXES = List.of("dev/emma/");
    static final List<String> EXCLUDED = List.of("dev/emma/agent/");

    private BootClasses() {
    }

    /** Defines the classes unless an earlier start (premain, then attach) already did. */
    static void ensureDefined(Instrumentation instrumentation, Path agentJar) throws Throwable {
        if (alreadyDefined()) {
            return;
        }
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolve(new InjectorModuleFinder(BootClasses.class.getClassLoader()), ModuleFinder.of(),
                        Set.of(InjectorModuleFinder.MODULE));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
        Class<?> injector = layer.findLoader(InjectorModuleFinder.MODULE).loadClass(INJECTOR_CLASS);
        try {
            injector.getMethod("inject", Instrumentation.class, String.class, List.class, List.class)
                    .invoke(null, instrumentation, agentJar.toString(), PREFIXES, EXCLUDED);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static boolean alreadyDefined() {
        try {
            Class.forName(PROBE_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
