package dev.emma.os;

/**
 * For clean-ups that must try every step whatever an earlier one threw (closing an instance: a
 * failed munmap must not keep the other mappings mapped): the first failure is thrown at the end,
 * the later ones suppressed in it.
 */
public final class Failures {
    private Failures() {
    }

    /** {@code first}, with {@code next} added as suppressed; {@code next} if there was none. */
    public static Throwable add(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /** Throws {@code failure} (a RuntimeException or an Error, as caught) unless it is null. */
    public static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }
}
