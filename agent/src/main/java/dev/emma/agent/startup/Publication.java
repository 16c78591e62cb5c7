package dev.emma.agent.startup;

import dev.emma.agent.log.AgentLog;
import dev.emma.agent.observe.AllocatorEvent;
import dev.emma.agent.observe.AllocatorMBean;
import dev.emma.agent.observe.AllocatorReading;
import dev.emma.bridge.ManagementHook;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Publishes the agent's numbers where operators look, each at the moment it costs nothing extra:
 * the MBean once the platform MBean server exists (whoever creates it: JConsole, Mission Control, a
 * JMX exporter, the application), the JFR event once JFR starts. Creating the platform MBean server
 * ourselves would cost every JVM about 20 MiB and 100 ms; loading the event class would start
 * JFR's machinery.
 */
final class Publication {

    private Publication() {
    }

    /**
     * @param serverMayExist whether {@code ManagementFactory} was loaded before the agent hooked it
     *                       (so the server may exist without the hook having seen it): register now
     */
    static void publish(Supplier<AllocatorReading> source, IntFunction<String> sites, Supplier<String> coverage,
                        boolean serverMayExist) {
        RegisterMBean register = new RegisterMBean(new AllocatorMBean(source, sites, coverage));
        if (serverMayExist) {
            register.run();
        } else {
            ManagementHook.whenPlatformServerReady(register);
        }
        try {
            FlightRecorder.addListener(new JfrStart(source));
        } catch (Throwable e) {
            AgentLog.debug("emma-agent: no JFR event (" + e + ")"); // e.g. a runtime image without jdk.jfr
        }
    }

    /** After a fail-open: the MBean answers with mode "off". */
    static void publishInactive(Supplier<AllocatorReading> source, boolean serverMayExist) {
        RegisterMBean register = new RegisterMBean(new AllocatorMBean(source));
        if (serverMayExist) {
            register.run();
        } else {
            ManagementHook.whenPlatformServerReady(register);
        }
    }

    private record RegisterMBean(AllocatorMBean bean) implements Runnable {
        @Override
        public void run() {
            try {
                AllocatorMBean.register(bean);
            } catch (Throwable e) {
                AgentLog.warning("emma-agent: could not register the MBean " + AllocatorMBean.OBJECT_NAME + " (" + e + ")");
            }
        }
    }

    /** Registers the event when JFR starts, now if it runs: until then a listener is all it costs. */
    private static final class JfrStart implements FlightRecorderListener {
        private final Supplier<AllocatorReading> source;
        private boolean registered; // guarded by this

        JfrStart(Supplier<AllocatorReading> source) {
            this.source = source;
        }

        @Override
        public synchronized void recorderInitialized(FlightRecorder recorder) {
            if (!registered) {
                registered = true;
                AllocatorEvent.register(source);
            }
        }
    }
}
