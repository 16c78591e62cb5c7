package dev.emma.agent.startup;

import dev.emma.agent.log.AgentLog;
import dev.emma.agent.observe.AllocatorEvent;
import dev.emma.agent.observe.AllocatorMBean;
import dev.emma.agent.observe.AllocatorReading;
import dev.emma.agent.observe.sites.Sampling;
import dev.emma.bridge.JfrHook;
import dev.emma.bridge.ManagementHook;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Publishes the agent's numbers where operators look, each at the moment it costs nothing extra:
 * the MBean once the platform MBean server exists (whoever creates it: JConsole, Mission Control, a
 * JMX exporter, the application), the JFR events once Flight Recorder exists (whoever starts it:
 * {@code -XX:StartFlightRecording}, {@code jcmd JFR.start}, the application). Creating the platform
 * MBean server ourselves would cost every JVM about 20 MiB and 100 ms; registering the events, even
 * a JFR listener, loads {@code jdk.jfr} (about 0.3 MiB) in a JVM that never records.
 */
final class Publication {

    private Publication() {
    }

    /**
     * @param serverMayExist   whether {@code ManagementFactory} was loaded before the agent hooked it
     *                         (so the server may exist without the hook having seen it): register now
     * @param recorderMayExist whether {@code jdk.jfr.FlightRecorder} was loaded before the agent hooked
     *                         it (so JFR may run without the hook having seen it): register now
     */
    static void publish(Supplier<AllocatorReading> source, Sampling sampling, IntFunction<String> sites,
                        Supplier<String> coverage, boolean serverMayExist, boolean recorderMayExist) {
        RegisterMBean register = new RegisterMBean(new AllocatorMBean(source, sites, coverage));
        if (serverMayExist) {
            register.run();
        } else {
            ManagementHook.whenPlatformServerReady(register);
        }
        RegisterJfrEvents events = new RegisterJfrEvents(source, sampling);
        if (recorderMayExist) {
            events.run();
        } else {
            JfrHook.whenRecorderReady(events);
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

    /**
     * The periodic event and the allocation samples, each through a JFR listener that registers it
     * when Flight Recorder initialises (at once if it did). Not itself a listener: loading this class
     * must not load {@code jdk.jfr}.
     */
    private record RegisterJfrEvents(Supplier<AllocatorReading> source, Sampling sampling) implements Runnable {
        @Override
        public void run() {
            try {
                AllocatorEvent.register(source);
            } catch (Throwable e) {
                AgentLog.debug("emma-agent: no JFR event (" + e + ")"); // e.g. a runtime image without jdk.jfr
            }
            sampling.watchJfr();
        }
    }
}
