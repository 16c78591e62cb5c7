package dev.emma.bridge;

/**
 * The JDK's answer to an allocation over {@code -XX:MallocLimit} in {@code oom} mode, given for
 * memory Emma serves: {@code Unsafe.allocateMemory} throws {@code OutOfMemoryError("Unable to
 * allocate N bytes")}. A subclass only so that the router lets it through instead of falling back.
 */
public final class MallocLimitExceeded extends OutOfMemoryError {
    private static final long serialVersionUID = 1L;

    MallocLimitExceeded(long size) {
        super("Unable to allocate " + ((size + 7) & ~7L) + " bytes"); // the JDK's message, its size rounded to 8
    }
}
