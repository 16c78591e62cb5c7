package dev.emma.agent.startup;

import dev.emma.Emma;
import dev.emma.agent.config.AgentConfig;
import dev.emma.agent.config.Mode;
import dev.emma.agent.install.InstallResult;
import dev.emma.agent.install.Installer;
import dev.emma.agent.log.AgentLog;
import dev.emma.agent.observe.AllocatorEvent;
import dev.emma.agent.observe.AllocatorMBean;
import dev.emma.agent.observe.ReadingSource;
import dev.emma.agent.observe.StatsLog;
import dev.emma.agent.route.Bridge;
import dev.emma.agent.route.DirectBufferBridge;
import dev.emma.agent.route.EmmaBlocks;
import dev.emma.agent.route.Router;
import java.io.File;
import java.lang.instrument.Instrumentation;

/** The steps that need the core and the bridge: start Emma, instrument, activate, publish the numbers. */
final class Installation {

    private Installation() {
    }

    static void run(AgentConfig config, Instrumentation instrumentation, File agentJar) {
        Emma emma;
        try {
            emma = config.mode() == Mode.EMMA ? EmmaStart.start(CoreConfigs.toEmmaConfig(config.core())) : null;
        } catch (EmmaStart.NativeAccessDenied e) {
            AgentStartup.failOpen("native access is denied to the Emma allocator (" + e.getCause().getMessage()
                    + "); running without Emma. Allow it with --enable-native-access=ALL-UNNAMED", config.strict(), null);
            return;
        } catch (Throwable e) {
            AgentStartup.failOpen("the Emma allocator failed to start (" + e + "); running without Emma", config.strict(), e);
            return;
        }
        try {
            System.setProperty(SafeByteBuddy.PROPERTY, "true");
            Installer installer = new Installer(instrumentation, agentJar);
            installer.openJavaBase();
            InstallResult result = installer.install(directBuffersSupported());
            if (!result.isTransformed(Installer.UNSAFE)) {
                AgentStartup.failOpen("could not instrument " + Installer.UNSAFE + " (" + result.firstFailure() + "); running without Emma",
                        config.strict(), result.retransformError());
                return;
            }
            Router router = config.mode() == Mode.EMMA
                    ? Router.emma(new EmmaBlocks(emma), new LoggingFaultReporter())
                    : Router.passthrough(new LoggingFaultReporter());
            if (!Bridge.activate(router)) {
                AgentLog.warning("emma-agent: a routing is already active in this JVM; ignoring this one");
                return;
            }
            AgentLog.debug("emma-agent: active in mode " + config.mode().optionValue() + ", instrumented " + result.transformed());
            publish(config, new ReadingSource(router, emma));
        } catch (Throwable e) {
            AgentStartup.failOpen("installation failed (" + e + "); running without Emma", config.strict(), e);
        }
    }

    /** The zero-skipping direct-buffer path is written against JDK 25's DirectByteBuffer. */
    private static boolean directBuffersSupported() {
        if (Runtime.version().feature() < 25) {
            return false;
        }
        try {
            DirectBufferBridge.prepare();
            return true;
        } catch (Throwable e) {
            AgentLog.debug("emma-agent: direct buffers go through Unsafe only: " + e);
            return false;
        }
    }

    private static void publish(AgentConfig config, ReadingSource source) {
        try {
            AllocatorMBean.register(source);
        } catch (Throwable e) {
            AgentLog.warning("emma-agent: could not register the MBean " + "dev.emma:type=Allocator" + " (" + e + ")");
        }
        try {
            AllocatorEvent.register(source);
        } catch (Throwable e) {
            AgentLog.debug("emma-agent: no JFR event (" + e + ")"); // e.g. a runtime image without jdk.jfr
        }
        if (!config.statsPeriod().isZero()) {
            StatsLog.startPeriodic(source, config.statsPeriod());
        }
        if (config.summary()) {
            StatsLog.logAtExit(source);
        }
    }

}
