package dev.emma.agent.log;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The agent's only output: {@code System.Logger} "dev.emma.agent", created on first use so that a
 * silent start-up does not pay for the logging framework. Nothing is ever written to stdout; in
 * the default configuration nothing is logged at all unless something fails.
 */
public final class AgentLog {

    public static final String NAME = "dev.emma.agent";

    private AgentLog() {
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
