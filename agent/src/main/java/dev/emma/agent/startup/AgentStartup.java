package dev.emma.agent.startup;

import dev.emma.agent.log.AgentLog;
import dev.emma.agent.config.AgentConfig;
import dev.emma.agent.config.ConfigException;
import dev.emma.agent.config.ConfigParser;
import dev.emma.agent.config.Mode;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Everything the agent does at start-up after the entry class checked the JDK: read the
 * configuration, put the core in the bootstrap loader, start Emma, instrument, activate the
 * routing, publish the numbers.
 *
 * <p>This class and the configuration run before the core is in the bootstrap loader and must not
 * touch it (nor the bridge); {@link Installation} does, after {@link BootClasses}.
 *
 * <p>Fail-open: any failure leaves the JDK's own allocation in charge and logs one line, unless
 * {@code strict=true}, where it stops start-up instead. Allocations made before the routing is
 * active stay native and are freed natively, so installation runs on a background thread at JVM
 * start (except with {@code strict}, and on dynamic attach, where the caller waits for it).
 */
public final class AgentStartup implements Consumer<Object[]> {

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /** For the entry class: {arguments, instrumentation, attached, agent jar path, strict}. */
    @Override
    public void accept(Object[] parameters) {
        start((String) parameters[0], (Instrumentation) parameters[1], (Boolean) parameters[2], (String) parameters[3],
                (Boolean) parameters[4]);
    }

    /**
     * @param strict what the entry class read of the {@code strict} option: with it, and on
     *               dynamic attach, everything runs before this returns; otherwise on a daemon
     *               thread, so that the application's {@code main} is not delayed at all
     */
    public static void start(String arguments, Instrumentation instrumentation, boolean attached, String agentJar, boolean strict) {
        Runnable start = new Start(arguments, instrumentation, Path.of(agentJar), strict); // a class, not a lambda: cheaper at start-up
        if (attached || strict) {
            start.run();
        } else {
            Thread thread = new Thread(start, "emma-agent-install");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private record Start(String arguments, Instrumentation instrumentation, Path agentJar, boolean strict) implements Runnable {
        @Override
        public void run() {
            try {
                configureAndInstall(arguments, instrumentation, agentJar);
            } catch (RuntimeException | Error e) {
                if (strict) {
                    throw e;
                }
                AgentLog.warning("emma-agent: start-up failed (" + e + "); running without Emma"); // never an uncaught trace
            }
        }
    }

    private static void configureAndInstall(String arguments, Instrumentation instrumentation, Path agentJar) {
        ConfigParser parser = ConfigParser.ofThisProcess();
        AgentConfig config;
        try {
            config = parser.parse(arguments);
        } catch (ConfigException e) {
            failOpen(e.getMessage(), parser.strictRequested(arguments), null);
            return;
        }
        if (config.mode() == Mode.OFF) {
            return;
        }
        if (!STARTED.compareAndSet(false, true)) {
            AgentLog.warning("emma-agent: already installed in this JVM; ignoring the second start");
            return;
        }
        try {
            BootClasses.ensureDefined(instrumentation, agentJar);
        } catch (Throwable e) {
            failOpen("could not load the core in the bootstrap class loader (" + e + "); running without Emma", config.strict(), e);
            return;
        }
        Installation.run(config, instrumentation, agentJar.toFile());
    }

    static void failOpen(String message, boolean strict, Throwable cause) {
        if (strict) {
            throw new IllegalStateException("emma-agent: " + message.replace("; running without Emma", "") + " (strict=true)", cause);
        }
        AgentLog.warning("emma-agent: " + message);
    }
}
