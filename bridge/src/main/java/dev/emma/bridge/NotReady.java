package dev.emma.bridge;

/**
 * Thrown by a {@link BlockAllocator} that cannot serve yet: Emma is starting on this very thread
 * (the JDK may allocate while it binds Emma's syscalls). The native allocator serves the block, as
 * for any allocation made before Emma became active; it is not a fallback and is not reported.
 */
public final class NotReady extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotReady(String message) {
        super(message, null, false, false); // expected: no stack walk
    }
}
