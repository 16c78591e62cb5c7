package dev.emma.agent.entry;

import java.lang.reflect.Method;

/**
 * Reports a warning through {@code System.Logger} (Java 9+), found by reflection because this
 * class is compiled for Java 8; on Java 8 itself the line goes to standard error. Never stdout.
 */
final class EntryLog {

    static final String LOGGER_NAME = "dev.emma.agent";

    private EntryLog() {
    }

    static void warning(String message) {
        try {
            Class<?> loggerType = Class.forName("java.lang.System$Logger");
            Class<?> levelType = Class.forName("java.lang.System$Logger$Level");
            Object logger = System.class.getMethod("getLogger", String.class).invoke(null, LOGGER_NAME);
            Object warning = levelType.getField("WARNING").get(null);
            Method log = loggerType.getMethod("log", levelType, String.class);
            log.invoke(logger, warning, message);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            System.err.println("WARNING: " + message);
        }
    }
}
