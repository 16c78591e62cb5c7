package dev.emma.agent.log;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The agent's only output: {@code System.Logger} "dev.emma.agent", created on first use so that a
 * silent start-up does not pay for the logging framework. Nothing is ever written to stdout; in
 * the default configuration nothing is logged at all unless something fails. Start-up problems
 * (Emma is off) are one plain line on stderr instead, see {@link #startupLine}.
 */
public final class AgentLog {

    public static final String NAME = "dev.emma.agent";

    private AgentLog() {
    }

    /**
     * A start-up problem: one plain line on stderr, {@code emma-agent: <message>}, whatever the
     * logging set-up (it may not exist yet before {@code main}) and without initializing it.
     */
    public static void startupLine(String message) {
        System.err.println("emma-agent: " + message);
    }

    public static void warning(String message) {
        logger().log(Level.WARNING, message);
    }

    public static void warning(String message, Throwable cause) {
        logger().log(Level.WARNING, message, cause);
    }

    public static void info(String message) {
        logger().log(Level.INFO, message);
    }

    /**
     * For a shutdown hook. The JDK's java.util.logging backend resets itself in its own shutdown
     * hook, concurrently with ours, and a record logged after that reset is lost; with that
     * backend the record is published by a console handler of its own, the way JUL's default
     * configuration would print it. Any other backend gets it through System.Logger.
     */
    public static void infoAtExit(String message) {
        Logger logger = logger();
        if (!logger.isLoggable(Level.INFO)) {
            return;
        }
        if (logger.getClass().getName().startsWith("sun.util.logging.internal.")) {
            try {
                java.util.logging.LogRecord record = new java.util.logging.LogRecord(java.util.logging.Level.INFO, message);
                record.setLoggerName(NAME);
                java.util.logging.ConsoleHandler handler = new java.util.logging.ConsoleHandler();
                handler.publish(record);
                handler.flush(); // never closed: closing it would close System.err
                return;
            } catch (RuntimeException | LinkageError e) {
                // fall through to the logger
            }
        }
        logger.log(Level.INFO, message);
    }

    /**
     * Whether DEBUG (FINE) may be on, without starting the logging framework when it cannot: only
     * a java.util.logging configuration ({@code java.util.logging.config.file} or {@code .class})
     * can turn FINE on for us; the default configuration logs INFO and above.
     */
    public static boolean isDebugConfigured() {
        if (System.getProperty("java.util.logging.config.file") == null && System.getProperty("java.util.logging.config.class") == null) {
            return false;
        }
        return logger().isLoggable(Level.DEBUG);
    }

    public static void debug(String message) {
        Logger logger = logger();
        if (logger.isLoggable(Level.DEBUG)) {
            logger.log(Level.DEBUG, message);
        }
    }

    private static Logger logger() {
        return Holder.LOGGER;
    }

    private static final class Holder {
        static final Logger LOGGER = System.getLogger(NAME);
    }
}
