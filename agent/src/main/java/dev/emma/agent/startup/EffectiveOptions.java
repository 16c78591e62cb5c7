package dev.emma.agent.startup;

import dev.emma.EmmaConfig;
import dev.emma.agent.config.AgentConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The configuration in effect, as {@code key=value} options (the coverage report's last line): the core's as Emma runs with them. */
final class EffectiveOptions {

    private EffectiveOptions() {
    }

    /** @param core the global Emma instance's configuration, or null when Emma does not run (passthrough) */
    static List<String> of(AgentConfig config, EmmaConfig core) {
        List<String> options = new ArrayList<>();
        options.add("mode=" + config.mode().optionValue());
        options.add("linker=" + config.linker().name().toLowerCase(Locale.ROOT));
        options.add("stats=" + (config.statsPeriod().isZero() ? "off" : period(config.statsPeriod())));
        options.add("summary=" + config.summary());
        options.add("sites=" + config.sites());
        options.add("strict=" + config.strict());
        if (core != null) {
            options.add("checks=" + core.checks());
            options.add("purgeDelay=" + period(core.purgeDelay()));
            options.add("maxMappedBytes=" + core.maxMappedBytes());
            options.add("sharedHeaps=" + core.sharedHeaps());
            options.add("backgroundPurge=" + core.backgroundPurge());
        }
        return options;
    }

    private static String period(Duration period) {
        long millis = period.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
