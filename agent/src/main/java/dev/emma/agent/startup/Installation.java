package dev.emma.agent.startup;

import dev.emma.Emma;
import dev.emma.agent.config.AgentConfig;
import dev.emma.agent.config.Mode;
import dev.emma.agent.install.InstallResult;
import dev.emma.agent.install.Installer;
import dev.emma.agent.log.AgentLog;
import dev.emma.agent.observe.AllocatorEvent;
import dev.emma.agent.observe.AllocatorMBean;
import dev.emma.agent.observe.CoverageReport;
import dev.emma.agent.observe.sites.Sampling;
import dev.emma.agent.observe.ReadingSource;
import dev.emma.agent.observe.StatsLog;
import dev.emma.agent.limit.JdkMallocLimit;
import dev.emma.bridge.BlockAllocator;
import dev.emma.bridge.Bridge;
import dev.emma.bridge.LimitedBlocks;
import dev.emma.bridge.DirectBufferBridge;
import dev.emma.bridge.EmmaBlocks;
import dev.emma.bridge.Router;
import dev.emma.bridge.linker.LinkerRoutes;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.function.Supplier;

/** The steps that need the core and the bridge: start Emma, instrument, activate, publish the numbers. */
final class Installation {

    private Installation() {
    }

    static void run(AgentConfig config, Instrumentation instrumentation, File agentJar) {
        Active active;
        try {
            active = activate(config, instrumentation, agentJar);
        } catch (FailOpen e) {
            AgentStartup.failOpen(e.getMessage(), config.strict(), e.getCause());
            publishInactive();
            return;
        }
        if (active != null) {
            AgentLog.debug("emma-agent: active in mode " + config.mode().optionValue() + "; Emma started in "
                    + millis(active.started() - active.began()) + " ms, instrumentation took " + millis(active.activated() - active.started()) + " ms");
            publish(config, new ReadingSource(active.router(), active.emma()), active);
        }
    }

    /** The active routing, or null if another start of the agent already activated one. */
    private static Active activate(AgentConfig config, Instrumentation instrumentation, File agentJar) throws FailOpen {
        long began = System.nanoTime();
        Emma emma = null;
        if (config.mode() == Mode.EMMA) {
            try {
                emma = EmmaStart.start(CoreConfigs.toEmmaConfig(config.core()));
            } catch (EmmaStart.NativeAccessDenied e) {
                throw new FailOpen("native access is denied to the Emma allocator (" + e.getCause().getMessage()
                        + "); running without Emma. Allow it with --enable-native-access=ALL-UNNAMED", null);
            } catch (Throwable e) {
                throw new FailOpen("the Emma allocator failed to start (" + e + "); running without Emma", e);
            }
        }
        long started = System.nanoTime();
        InstallResult result;
        try {
            System.setProperty(SafeByteBuddy.PROPERTY, "true");
            Bridge.router(); // initialized here, not by the first instrumented JDK call
            Installer installer = new Installer(instrumentation, agentJar);
            installer.openJavaBase();
            result = installer.install(directBuffersSupported());
        } catch (Throwable e) {
            throw new FailOpen("installation failed (" + e + "); running without Emma", e);
        }
        if (!result.isTransformed(Installer.UNSAFE)) {
            throw new FailOpen("could not instrument " + Installer.UNSAFE + " (" + result.firstFailure() + "); running without Emma",
                    result.retransformError());
        }
        result.errors().forEach((type, error) -> AgentLog.warning("emma-agent: could not instrument " + type + " (" + error
                + "); continuing without it: its allocations still go through " + Installer.UNSAFE));
        Router router = emma != null
                ? Router.emma(limited(new EmmaBlocks(emma)), new LoggingFaultReporter())
                : Router.passthrough(new LoggingFaultReporter());
        LinkerRoutes.configure(LinkerRoutes.Scope.valueOf(config.linker().name())); // before any handle is routed
        if (!Bridge.activate(router)) {
            AgentLog.warning("emma-agent: a routing is already active in this JVM; ignoring this one");
            return null;
        }
        return new Active(router, emma, began, started, System.nanoTime());
    }

    /** Emma's routed memory under -XX:MallocLimit when the JVM runs with one (agent-route). */
    private static BlockAllocator limited(BlockAllocator blocks) {
        java.util.OptionalLong limit = JdkMallocLimit.ofThisJvm();
        return limit.isPresent() ? new LimitedBlocks(blocks, limit.getAsLong(), new LoggingFaultReporter()) : blocks;
    }

    /** After a fail-open the MBean still answers, with mode "off", so operators see the agent ran. */
    private static void publishInactive() {
        try {
            AllocatorMBean.register(new ReadingSource(Router.INACTIVE, null));
        } catch (Throwable e) {
            AgentLog.debug("emma-agent: no MBean (" + e + ")");
        }
    }

    private record Active(Router router, Emma emma, long began, long started, long activated) {
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** A reason to run without Emma. */
    private static final class FailOpen extends Exception {
        private static final long serialVersionUID = 1L;

        FailOpen(String message, Throwable cause) {
            super(message, cause);
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

    /** The MBean comes last: its appearance tells operators (and tests) that everything is in place. */
    private static void publish(AgentConfig config, ReadingSource source, Active active) {
        // allocation sampling (sites=N, JFR dev.emma.AllocationSample) and the coverage report: at exit and through the MBean
        Sampling sampling = Sampling.start(active.router(), config.sites());
        List<String> options = EffectiveOptions.of(config, active.emma() == null ? null : active.emma().config());
        Supplier<String> coverage = () -> CoverageReport.text(source.get(), options, "now");
        if (config.summary() || sampling.keepsSites()) {
            StatsLog.reportAtExit(config.summary() ? () -> CoverageReport.text(source.get(), options, "at exit") : null,
                    sampling.keepsSites() ? () -> sampling.topSites(sampling.sitesToPrint()) : null);
        }
        if (!config.statsPeriod().isZero()) {
            StatsLog.startPeriodic(source, config.statsPeriod());
        }
        try {
            AllocatorEvent.register(source);
        } catch (Throwable e) {
            AgentLog.debug("emma-agent: no JFR event (" + e + ")"); // e.g. a runtime image without jdk.jfr
        }
        try {
            AllocatorMBean.register(new AllocatorMBean(source, sampling::topSites, coverage));
        } catch (Throwable e) {
            AgentLog.warning("emma-agent: could not register the MBean " + AllocatorMBean.OBJECT_NAME + " (" + e + ")");
        }
    }

}
