package dev.emma.agent.startup;

import dev.emma.Emma;
import dev.emma.agent.config.AgentConfig;
import dev.emma.agent.config.Mode;
import dev.emma.agent.install.InstallResult;
import dev.emma.agent.install.Installer;
import dev.emma.agent.install.Patches;
import dev.emma.agent.install.Targets;
import dev.emma.agent.log.AgentLog;
import dev.emma.agent.limit.JdkMallocLimit;
import dev.emma.agent.observe.CoverageReport;
import dev.emma.agent.observe.ReadingSource;
import dev.emma.agent.observe.StatsLog;
import dev.emma.agent.observe.sites.Sampling;
import dev.emma.bridge.BlockAllocator;
import dev.emma.bridge.Bridge;
import dev.emma.bridge.DirectBufferBridge;
import dev.emma.bridge.LimitedBlocks;
import dev.emma.bridge.Router;
import dev.emma.bridge.linker.LinkerRoutes;
import dev.emma.agent.install.Target;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The steps that need the core and the bridge: start Emma (on a thread of its own), instrument the
 * JDK (on this one), activate the routing; then, off the start-up path, publish the numbers.
 */
final class Installation {

    private Installation() {
    }

    /** @param waitForEmma whether to return only once Emma started (strict, dynamic attach) */
    static void run(AgentConfig config, Instrumentation instrumentation, boolean attached, List<Target> targets, Patches patches) {
        boolean waitForEmma = config.strict() || attached;
        InstallResult result;
        try {
            Bridge.router(); // initialized here, not by the first instrumented JDK call
            result = new Installer(instrumentation, Installation.class.getClassLoader(), patches).install(targets);
        } catch (Exception | LinkageError e) {
            AgentStartup.failOpen("installation failed (" + e + ")", config.strict(), attached);
            return;
        }
        boolean managementLoaded = result.isApplied(Targets.MBEAN_SERVER);
        boolean recorderLoaded = result.isApplied(Targets.RECORDER);
        if (!result.requiredApplied()) {
            failOpen("could not instrument " + Targets.UNSAFE + " (" + result.firstRequiredFailure() + ")", config, attached, managementLoaded);
            return;
        }
        // Emma starts with the first allocation routed to it; strict and attach want to know now that it can.
        StartingEmma emma = null;
        if (config.mode() == Mode.EMMA) {
            EmmaStart start = EmmaStart.configure(config.core());
            if (start.note() != null) {
                AgentLog.warning("emma-agent: " + start.note());
            }
            if (waitForEmma && start.start() == null) {
                failOpen(start.failureReason(), config, attached, managementLoaded);
                return;
            }
            emma = new StartingEmma(start);
        }
        Router router = emma != null
                ? Router.emma(limited(emma), new LoggingFaultReporter())
                : Router.passthrough(new LoggingFaultReporter());
        LinkerRoutes.configure(LinkerRoutes.Scope.values()[config.linker().ordinal()]); // before any handle is routed
        if (!Bridge.activate(router)) {
            AgentLog.startupLine("a routing is already active in this JVM; this one is ignored");
            return;
        }
        publish(config, router, emma, result, managementLoaded, recorderLoaded);
    }

    /** Emma's routed memory under -XX:MallocLimit when the JVM runs with one. */
    private static BlockAllocator limited(BlockAllocator blocks) {
        OptionalLong limit = JdkMallocLimit.ofThisJvm();
        return limit.isPresent() ? new LimitedBlocks(blocks, limit.getAsLong(), new LoggingFaultReporter()) : blocks;
    }

    /** After the JDK was instrumented (the management hook included). */
    private static void failOpen(String reason, AgentConfig config, boolean attached, boolean managementLoaded) {
        AgentStartup.failOpen(reason, config.strict(), attached);
        Publication.publishInactive(new ReadingSource(Router.INACTIVE, (Emma) null), managementLoaded);
    }

    /**
     * Before anything was instrumented: the MBean still answers, with mode "off", so operators see
     * the agent ran; only the management hook is installed for it.
     */
    static void publishInactive(Instrumentation instrumentation, Patches patches) {
        boolean managementLoaded = true;
        try {
            InstallResult result = new Installer(instrumentation, Installation.class.getClassLoader(), patches)
                    .install(List.of(Targets.MBEAN_SERVER));
            managementLoaded = result.isApplied(Targets.MBEAN_SERVER);
        } catch (Exception | LinkageError e) {
            AgentLog.debug("emma-agent: no management hook (" + e + ")");
        }
        Publication.publishInactive(new ReadingSource(Router.INACTIVE, (Emma) null), managementLoaded);
    }

    /**
     * The zero-skipping direct-buffer path is written against JDK 25's {@code DirectByteBuffer}, and
     * its native fallback needs the JDK's internal Unsafe, which {@code java.base} exports to the
     * bridge when it is defined. Checked here without touching that fallback: setting it up spins
     * method handles, which a JVM that never allocates a direct buffer need not pay for.
     */
    static boolean directBuffersSupported() {
        return Runtime.version().feature() >= 25
                && Object.class.getModule().isExported("jdk.internal.misc", DirectBufferBridge.class.getModule());
    }

    /**
     * What start-up has to say (rarely anything), the opt-in logs; the MBean and the JFR event
     * appear when JMX or JFR start ({@link Publication}). Cheap: nothing here starts a thread or a
     * logging framework unless asked for.
     */
    private static void publish(AgentConfig config, Router router, StartingEmma emma, InstallResult result, boolean managementLoaded,
                                boolean recorderLoaded) {
        for (Map.Entry<Target, String> missing : result.notApplied().entrySet()) {
            AgentLog.warning("emma-agent: could not instrument " + missing.getKey().describe() + " (" + missing.getValue()
                    + "); continuing without it: its allocations still go through " + Targets.UNSAFE);
        }
        logConfiguration(config);
        ReadingSource source = emma != null ? new ReadingSource(router, emma) : new ReadingSource(router, (Emma) null);
        // allocation sampling (sites=N, JFR dev.emma.AllocationSample) and the coverage report: at exit and through the MBean
        Sampling sampling = Sampling.start(router, config.sites());
        List<String> options = EffectiveOptions.of(config, emma != null ? config.core() : null);
        if (config.summary() || sampling.keepsSites()) {
            StatsLog.reportAtExit(config.summary() ? new Coverage(source, options, "at exit") : null,
                    sampling.keepsSites() ? () -> sampling.topSites(sampling.sitesToPrint()) : null);
        }
        if (!config.statsPeriod().isZero()) {
            StatsLog.startPeriodic(source, config.statsPeriod());
        }
        Publication.publish(source, sampling, new TopSites(sampling), new Coverage(source, options, "now"), managementLoaded,
                recorderLoaded);
    }

    /** Classes, not lambdas: each lambda spins a class at start-up, with the JDK's class-file generator. */
    private record Coverage(ReadingSource source, List<String> options, String when) implements Supplier<String> {
        @Override
        public String get() {
            return CoverageReport.text(source.get(), options, when);
        }
    }

    private record TopSites(Sampling sampling) implements IntFunction<String> {
        @Override
        public String apply(int count) {
            return sampling.topSites(count);
        }
    }

    /** With {@code summary} at INFO, else at FINE when java.util.logging was configured to show it. */
    static void logConfiguration(AgentConfig config) {
        if (config.summary()) {
            AgentLog.info("emma-agent: configuration: " + config.describe());
        } else if (AgentLog.isDebugConfigured()) {
            AgentLog.debug("emma-agent: configuration: " + config.describe());
        }
    }
}
