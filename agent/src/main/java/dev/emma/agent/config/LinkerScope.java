package dev.emma.agent.config;

import java.util.Locale;

/**
 * The {@code linker} option: whose libc allocations through FFM Linker downcalls Emma serves
 * ({@code dev.emma.bridge.linker.LinkerRoutes.Scope}, which this class must not load: the
 * configuration runs before the bridge is defined in the bootstrap loader).
 */
public enum LinkerScope {
    KNOWN, ALL, OFF;

    static LinkerScope parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
