package dev.emma.bridge;

import java.util.Locale;

/** Where a {@link Router} sends allocations. */
public enum RouteMode {
    /** Emma serves new memory. */
    EMMA,
    /** The JDK's native allocator serves everything; the router only counts. */
    PASSTHROUGH,
    /** Not active yet: the JDK's code runs as if not instrumented, nothing is counted. */
    INACTIVE;

    /** As the {@code mode} option spells it: an inactive router is "off". */
    public String optionValue() {
        return this == INACTIVE ? "off" : name().toLowerCase(Locale.ROOT);
    }
}
