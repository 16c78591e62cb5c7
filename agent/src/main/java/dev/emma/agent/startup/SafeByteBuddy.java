package dev.emma.agent.startup;

/**
 * Byte Buddy's "safe" switch, which keeps it away from {@code sun.misc.Unsafe} (and the JDK's
 * warning about it). The shade plugin relocates this string with the classes, so it names the
 * agent's own copy of Byte Buddy and leaves an application's copy alone.
 */
final class SafeByteBuddy {

    static final String PROPERTY = "net.bytebuddy.safe";

    private SafeByteBuddy() {
    }
}
