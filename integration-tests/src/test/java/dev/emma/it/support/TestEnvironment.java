package dev.emma.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths handed over by the build (failsafe's system properties), checked once. */
public final class TestEnvironment {

    private TestEnvironment() {
    }

    public static Path agentJar() {
        return existing("emma.it.agentJar");
    }

    public static Path appClasses() {
        return existing("emma.it.appClasses");
    }

    public static Path byteBuddyJar() {
        return existing("emma.it.byteBuddyJar");
    }

    public static Path openTelemetryAgentJar() {
        return existing("emma.it.otelAgentJar");
    }

    /** A folder with one Netty line's jars ({@code 4.1}, {@code 4.2}, or {@code 4.2-server}: the HTTP server's), for a child JVM's class path. */
    public static Path nettyJars(String line) {
        return existing("emma.it.netty" + line.replace(".", ""));
    }

    /** A folder with Arrow's jars for one allocation manager ({@code unsafe} or {@code netty}), for a child JVM's class path. */
    public static Path arrowJars(String manager) {
        return existing("emma.it.arrow-" + manager);
    }

    /** The old JDK to fail open on, or null if this machine has none. */
    public static Path oldJava() {
        String value = System.getProperty("emma.it.oldJava");
        return value == null || !Files.isExecutable(Path.of(value)) ? null : Path.of(value);
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the integration tests with ./mvnw verify");
        }
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException(property + " points to " + path + ", which does not exist");
        }
        return path;
    }
}
