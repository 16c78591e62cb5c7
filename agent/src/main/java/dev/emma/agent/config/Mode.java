package dev.emma.agent.config;

/** What the agent does with the JVM's off-heap allocations. */
public enum Mode {
    /** Instrumented and counted; memory comes from Emma. */
    EMMA,
    /** Instrumented and counted; memory comes from the JDK's native allocator (the A/B control arm). */
    PASSTHROUGH,
    /** Nothing is instrumented: the JVM runs as without the agent. */
    OFF;

    public String optionValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The mode named {@code value} (any case). A loop, not {@code valueOf}: {@code Enum.valueOf}
     * reaches {@code values()} reflectively, which costs start-up a few hundred KiB of heap.
     */
    public static Mode of(String value) {
        for (Mode mode : values()) {
            if (mode.name().equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException(value);
    }
}
