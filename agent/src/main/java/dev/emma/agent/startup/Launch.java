package dev.emma.agent.startup;

import dev.emma.agent.config.AgentConfig;
import dev.emma.agent.config.Mode;
import dev.emma.agent.log.AgentLog;
import dev.emma.options.OptionException;
import dev.emma.options.Options;
import dev.emma.agent.install.Patches;
import dev.emma.agent.install.Target;
import dev.emma.agent.install.Targets;
import java.lang.instrument.Instrumentation;
import java.util.List;

/** The start-up steps after the core is in the bootstrap loader: read the options with its table, then install. */
final class Launch {

    private Launch() {
    }

    /** @param nativeAccessDenied whether Emma's FFM calls would throw ({@code --illegal-native-access=deny}) */
    static void launch(String arguments, Instrumentation instrumentation, String agentJarPath, boolean attached, boolean strictHint,
                       boolean nativeAccessDenied) {
        AgentConfig config;
        try {
            config = AgentConfig.from(Options.ofProcess(arguments));
        } catch (OptionException e) {
            AgentStartup.failOpen(e.getMessage(), strictHint, attached);
            return;
        }
        if (config.mode() == Mode.OFF) {
            Installation.logConfiguration(config);
            return;
        }
        List<Target> targets = Targets.all(Installation.directBuffersSupported());
        Patches patches = Patches.in(agentJarPath);
        if (nativeAccessDenied && config.mode() == Mode.EMMA) {
            AgentStartup.failOpen("native access is denied to the Emma allocator (--illegal-native-access=deny); "
                    + "allow it with --enable-native-access=ALL-UNNAMED", config.strict(), attached);
            Installation.publishInactive(instrumentation, patches);
            return;
        }
        if (config.background() && !attached) {
            Thread thread = new Thread(new Background(config, instrumentation, targets, patches), "emma-agent-install");
            thread.setDaemon(true);
            thread.start();
        } else {
            Installation.run(config, instrumentation, attached, targets, patches);
        }
    }

    /** A class, not a lambda: lambdas cost start-up time. */
    private record Background(AgentConfig config, Instrumentation instrumentation, List<Target> targets, Patches patches)
            implements Runnable {
        @Override
        public void run() {
            try {
                Installation.run(config, instrumentation, false, targets, patches);
            } catch (RuntimeException | Error e) {
                AgentStartup.failOpen("start-up failed (" + e + ")", false, false);
            }
        }
    }
}
