package dev.emma.agent.route;

import java.util.Locale;

/** Where a {@link Router} sends allocations. */
public enum RouteMode {
    /** Emma serves new memory. */
    EMMA,
    /** The JDK's native allocator serves everything; the router only counts. */
    PASSTHROUGH,
    /** Not active yet: the JDK's code runs as if not instrumented, nothing is counted. */
    INACTIVE;

    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
