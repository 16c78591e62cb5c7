package dev.emma.agent.config;

/**
 * The {@code linker} option: whose libc allocations through FFM Linker downcalls Emma serves
 * ({@code dev.emma.bridge.linker.LinkerRoutes.Scope}, which this class must not load: the
 * configuration runs before the bridge is defined in the bootstrap loader). Invariant: the same
 * constants in the same order (the installation maps them by ordinal; AgentConfigTest pins it).
 */
public enum LinkerScope {
    KNOWN, ALL, OFF;

    static LinkerScope parse(String value) {
        for (LinkerScope scope : values()) { // not valueOf: reflective, start-up heap
            if (scope.name().equalsIgnoreCase(value.trim())) {
                return scope;
            }
        }
        throw new IllegalArgumentException(value);
    }
}
