package dev.emma.agent.config;

import java.time.Duration;

/**
 * The agent's settings after the agent arguments, {@code emma.*} system properties and
 * {@code EMMA_*} environment variables were merged (in that order of precedence).
 *
 * @param mode        where memory comes from, see {@link Mode}
 * @param statsPeriod period of the one-line statistics log; {@link Duration#ZERO} for none
 * @param summary     whether one statistics line is logged at exit
 * @param strict      whether a failure stops the JVM instead of running without Emma
 * @param core        the settings of the global Emma instance ({@code checks} included)
 * @param linker      whose libc allocations through FFM Linker downcalls Emma serves: known callers, all, or off
 * @param sites       how many allocation sites to print at exit; above 0 keeps the sampled sites table (0: off)
 */
public record AgentConfig(Mode mode, Duration statsPeriod, boolean summary, boolean strict, CoreSettings core,
                          LinkerScope linker, int sites) {

    public static AgentConfig defaults() {
        return new AgentConfig(Mode.EMMA, Duration.ZERO, false, false, CoreSettings.defaults(), LinkerScope.KNOWN, 0);
    }
}
