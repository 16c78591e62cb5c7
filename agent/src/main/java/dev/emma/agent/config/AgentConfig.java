package dev.emma.agent.config;

import dev.emma.EmmaConfig;
import dev.emma.options.Option;
import dev.emma.options.Options;
import dev.emma.options.Units;
import java.time.Duration;

/**
 * The agent's settings, from the one option table of the core ({@link Option}), parsed once from
 * the agent arguments, {@code -Demma.*} and {@code EMMA_*}.
 *
 * @param mode        where memory comes from, see {@link Mode}
 * @param background  whether installation runs on a background thread ({@code install=background}):
 *                    {@code main} starts sooner, allocations made before the agent is active stay native
 * @param statsPeriod period of the one-line statistics log; {@link Duration#ZERO} for none
 * @param summary     whether the configuration and, at exit, one statistics line are logged
 * @param strict      whether a failure stops the JVM instead of running without Emma
 * @param core        the configuration of the global Emma instance
 * @param linker      whose libc allocations through FFM Linker downcalls Emma serves: known callers, all, or off
 * @param sites       how many allocation sites to print at exit; above 0 keeps the sampled sites table (0: off)
 * @param options     where each value came from
 */
public record AgentConfig(Mode mode, boolean background, Duration statsPeriod, boolean summary, boolean strict,
                          EmmaConfig core, LinkerScope linker, int sites, Options options) {

    /** @throws dev.emma.options.OptionException for a bad value or an unknown option in any source */
    public static AgentConfig from(Options options) {
        Mode mode = Mode.of(options.choice(Option.MODE));
        return new AgentConfig(mode, options.choice(Option.INSTALL).equals("background"), options.period(Option.STATS),
                options.flag(Option.SUMMARY), options.flag(Option.STRICT), EmmaConfig.from(options),
                LinkerScope.parse(options.choice(Option.LINKER)), options.number(Option.SITES), options);
    }

    /**
     * One line: every option's effective value and where it came from, e.g.
     * {@code mode=emma (default), maxMappedBytes=512m (system property emma.maxMappedBytes), ...}.
     */
    public String describe() {
        StringBuilder line = new StringBuilder();
        for (Option option : Option.values()) {
            if (!line.isEmpty()) {
                line.append(", ");
            }
            line.append(option.key()).append('=').append(value(option)).append(" (").append(options.source(option)).append(')');
        }
        return line.toString();
    }

    private String value(Option option) {
        if (option.isCore()) {
            return core.format(option);
        }
        return switch (option) {
            case MODE -> mode.optionValue();
            case INSTALL -> background ? "background" : "premain";
            case STATS -> statsPeriod.isZero() ? "off" : Units.formatPeriod(statsPeriod);
            case SUMMARY -> Boolean.toString(summary);
            case STRICT -> Boolean.toString(strict);
            case LINKER -> linker.name().toLowerCase(java.util.Locale.ROOT);
            case SITES -> Integer.toString(sites);
            default -> throw new IllegalStateException(option.key());
        };
    }
}
