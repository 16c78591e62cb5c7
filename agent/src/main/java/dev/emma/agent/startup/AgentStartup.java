package dev.emma.agent.startup;

import dev.emma.agent.log.AgentLog;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Everything the agent does at start-up after the entry class checked the JDK: put the core in the
 * bootstrap loader, read the configuration (with the core's option table), start Emma, instrument,
 * activate the routing. By default all of it happens before {@code premain} returns, so Emma serves
 * the first allocation of {@code main}; {@code install=background} moves it to a daemon thread.
 *
 * <p>This class must not name a class of the core or the bridge (not even in a {@code catch}: the
 * verifier loads those): they exist only once {@link BootClasses} defined them. {@link Launch} does.
 *
 * <p>Fail-open: any failure leaves the JDK's own allocation in charge and prints one line, unless
 * {@code strict=true}, where it stops the JVM instead.
 */
public final class AgentStartup implements Consumer<Object[]> {

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** Why this JVM's first start-up left Emma off, or null: a later attach or -javaagent says so rather than "running". */
    private static volatile String failedStartUp;

    /** For the entry class: {arguments, instrumentation, attached, agent jar path, strict}. */
    @Override
    public void accept(Object[] parameters) {
        start((String) parameters[0], (Instrumentation) parameters[1], (Boolean) parameters[2], (String) parameters[3],
                (Boolean) parameters[4]);
    }

    /**
     * @param strictHint what the entry class read of the {@code strict} option, leniently: it decides
     *                   when the configuration itself cannot be read
     */
    public static void start(String arguments, Instrumentation instrumentation, boolean attached, String agentJar, boolean strictHint) {
        try {
            if (!STARTED.compareAndSet(false, true) || BootClasses.alreadyDefined()) {
                AgentLog.startupLine(ignoredLine(arguments, attached, failedStartUp));
                return;
            }
            // The operator's choice for class-path code, the agent's own included, is the rule for our modules.
            boolean nativeAccess = AgentStartup.class.getModule().isNativeAccessEnabled();
            String nativeAccessPolicy;
            try (JarFile jar = new JarFile(agentJar)) {
                try {
                    nativeAccessPolicy = BootClasses.define(instrumentation, jar, agentJar, nativeAccess);
                } catch (Exception | LinkageError e) {
                    failOpen("could not define the core in the bootstrap class loader (" + e + ")", strictHint, attached);
                    return;
                }
            } catch (IOException e) {
                failOpen("could not read the agent jar " + agentJar + " (" + e + ")", strictHint, attached);
                return;
            }
            Launch.launch(arguments, instrumentation, agentJar, attached, strictHint, !nativeAccess && nativeAccessPolicy.equals("deny"));
        } catch (RuntimeException | Error e) {
            failOpen("start-up failed (" + e + ")", strictHint, attached); // never an uncaught trace
        }
    }

    /**
     * The line for a second start in this JVM (an attach, or a second {@code -javaagent}): the first
     * start stays in effect, or it failed and Emma is off for the JVM's life (the core is defined in
     * the bootstrap loader once, and the JDK cannot be un-instrumented).
     *
     * @param failedStartUp why the first start-up left Emma off, or null when it did not
     */
    static String ignoredLine(String arguments, boolean attached, String failedStartUp) {
        String options = arguments == null || arguments.isBlank() ? "" : (attached ? " (" + arguments + ")" : "=" + arguments);
        String second = (attached ? "this attach" : "this -javaagent") + options;
        if (failedStartUp != null) {
            return "Emma is off in this JVM since its start-up failed (" + failedStartUp + "); " + second
                    + " is ignored: restart the JVM to use Emma";
        }
        return "an Emma agent is already running in this JVM; " + second + " is ignored and the first one stays in effect";
    }

    /**
     * One line on stderr, whatever the logging set-up: it says plainly that Emma is off. With
     * {@code strict} (at JVM start) the JVM stops instead, with status 1 and no stack trace.
     */
    static void failOpen(String reason, boolean strict, boolean attached) {
        failedStartUp = reason;
        if (strict && !attached) {
            AgentLog.startupLine(reason + "; stopping the JVM (strict=true)");
            System.exit(1);
        }
        AgentLog.startupLine("Emma is OFF, the application runs without it: " + reason);
    }
}
