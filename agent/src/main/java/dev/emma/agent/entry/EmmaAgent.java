package dev.emma.agent.entry;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.util.function.Consumer;

/**
 * The agent's entry point ({@code Premain-Class} and {@code Agent-Class}).
 *
 * <p>Compiled for Java 8 so that any JDK can load it: it checks the running JDK first and, on one
 * that is too old, reports one line and lets the application run without Emma. On a supported JDK
 * it hands over to {@code dev.emma.agent.startup.AgentStartup}.
 */
public final class EmmaAgent {

    /** Emma is written on the FFM API, final since Java 22. */
    static final int MINIMUM_FEATURE_VERSION = 22;

    private static final String STARTUP_CLASS = "dev.emma.agent.startup.AgentStartup";

    private EmmaAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    private static void start(String arguments, Instrumentation instrumentation, boolean attached) {
        boolean strict = StrictFlag.isSet(arguments);
        int feature = featureVersion(System.getProperty("java.specification.version"));
        if (feature < MINIMUM_FEATURE_VERSION) {
            fail("Emma needs Java " + MINIMUM_FEATURE_VERSION + " or newer, this is Java "
                    + System.getProperty("java.specification.version"), strict && !attached);
            return;
        }
        try {
            File jar = agentJar();
            // An interface call rather than Method.invoke: reflective calls spin method handles,
            // which costs start-up time; the no-argument constructor is a cheap, common shape.
            @SuppressWarnings("unchecked")
            Consumer<Object[]> startup = (Consumer<Object[]>) Class.forName(STARTUP_CLASS, true, EmmaAgent.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
            startup.accept(new Object[] {arguments, instrumentation, attached, jar.getPath(), strict});
        } catch (InvocationTargetException e) {
            fail("start-up failed (" + (e.getCause() != null ? e.getCause() : e) + ")", strict && !attached);
        } catch (Exception | LinkageError e) {
            fail("start-up failed (" + e + ")", strict && !attached);
        }
    }

    /** The feature version from {@code java.specification.version}: "1.8" is 8, "25" is 25. */
    static int featureVersion(String specificationVersion) {
        if (specificationVersion == null) {
            return 0;
        }
        String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
    }

    private static File agentJar() throws Exception {
        URL location = EmmaAgent.class.getProtectionDomain().getCodeSource().getLocation();
        return new File(location.toURI());
    }

    /**
     * One line on stderr (the logging framework may not exist yet, nor even {@code System.Logger} on
     * an old JDK): it says plainly that Emma is off; with {@code strict}, the JVM stops instead,
     * with status 1 and no stack trace.
     */
    private static void fail(String reason, boolean strict) {
        if (strict) {
            System.err.println("emma-agent: " + reason + "; stopping the JVM (strict=true)");
            System.exit(1);
        }
        System.err.println("emma-agent: Emma is OFF, the application runs without it: " + reason);
    }
}
