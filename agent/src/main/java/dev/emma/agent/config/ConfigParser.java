package dev.emma.agent.config;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Merges the three sources of settings: {@code -javaagent:emma-agent.jar=key=value,...} wins over
 * {@code -Demma.key=value}, which wins over {@code EMMA_KEY=value}. Any unknown key in the agent
 * arguments or any bad value fails with one message that names the valid options.
 */
public final class ConfigParser {

    private final Function<String, String> systemProperties;
    private final Function<String, String> environment;

    public ConfigParser(Function<String, String> systemProperties, Function<String, String> environment) {
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /** The parser for this JVM: its system properties and its process environment. */
    public static ConfigParser ofThisProcess() {
        return new ConfigParser(System::getProperty, System::getenv);
    }

    public AgentConfig parse(String agentArguments) {
        Map<Option, Setting> settings = new EnumMap<>(Option.class);
        for (Option option : Option.values()) {
            String value = environment.apply(option.environmentVariable());
            if (value != null) {
                settings.put(option, new Setting(value, "environment variable " + option.environmentVariable()));
            }
            value = systemProperties.apply(option.systemProperty());
            if (value != null) {
                settings.put(option, new Setting(value, "system property " + option.systemProperty()));
            }
        }
        settings.putAll(parseArguments(agentArguments));
        return build(settings);
    }

    /**
     * Whether {@code strict=true} was asked for, read leniently: used when the configuration as a
     * whole is bad, to decide between failing and running without Emma.
     */
    public boolean strictRequested(String agentArguments) {
        if (agentArguments != null) {
            for (String item : agentArguments.split(",")) {
                String trimmed = item.trim();
                if (trimmed.equals(Option.STRICT.key) || trimmed.equalsIgnoreCase(Option.STRICT.key + "=true")) {
                    return true;
                }
            }
        }
        String value = systemProperties.apply(Option.STRICT.systemProperty());
        if (value == null) {
            value = environment.apply(Option.STRICT.environmentVariable());
        }
        return value != null && value.trim().equalsIgnoreCase("true");
    }

    private static Map<Option, Setting> parseArguments(String agentArguments) {
        Map<Option, Setting> settings = new EnumMap<>(Option.class);
        if (agentArguments == null || agentArguments.isBlank()) {
            return settings;
        }
        for (String item : agentArguments.split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            String key = equals < 0 ? trimmed : trimmed.substring(0, equals).trim();
            Option option = Option.byKey(key);
            if (option == null) {
                throw new ConfigException("unknown emma-agent option '" + key + "'; valid options: " + Option.describeAll());
            }
            if (equals < 0 && !option.isBoolean()) {
                throw new ConfigException("emma-agent option '" + key + "' needs a value: " + key + "=" + option.validValues);
            }
            String value = equals < 0 ? "true" : trimmed.substring(equals + 1);
            settings.put(option, new Setting(value, "-javaagent arguments"));
        }
        return settings;
    }

    private static AgentConfig build(Map<Option, Setting> settings) {
        AgentConfig defaults = AgentConfig.defaults();
        Mode mode = defaults.mode();
        Duration stats = defaults.statsPeriod();
        boolean summary = defaults.summary();
        boolean strict = defaults.strict();
        CoreSettings core = defaults.core();
        LinkerScope linker = defaults.linker();
        int sites = defaults.sites();
        for (Map.Entry<Option, Setting> entry : settings.entrySet()) {
            Option option = entry.getKey();
            Setting setting = entry.getValue();
            try {
                switch (option) {
                    case MODE -> mode = parseMode(setting.value);
                    case CHECKS -> core = core.withChecks(parseBoolean(setting.value));
                    case STATS -> stats = setting.value.trim().equalsIgnoreCase("off") ? Duration.ZERO : ValueParsers.period(setting.value);
                    case SUMMARY -> summary = parseBoolean(setting.value);
                    case STRICT -> strict = parseBoolean(setting.value);
                    case PURGE_DELAY -> core = core.withPurgeDelay(ValueParsers.period(setting.value));
                    case MAX_MAPPED_BYTES -> core = core.withMaxMappedBytes(ValueParsers.bytes(setting.value));
                    case SHARED_HEAPS -> core = core.withSharedHeaps(ValueParsers.intInRange(setting.value, 1, 1024));
                    case BACKGROUND_PURGE -> core = core.withBackgroundPurge(parseBoolean(setting.value));
                    case LINKER -> linker = LinkerScope.parse(setting.value);
                    case SITES -> sites = ValueParsers.intInRange(setting.value, 0, 1000);
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException("bad value '" + setting.value + "' for emma-agent option " + option.key
                        + " (from " + setting.source + "); valid: " + option.key + "=" + option.validValues);
            }
        }
        return new AgentConfig(mode, stats, summary, strict, core, linker, sites);
    }

    private static Mode parseMode(String value) {
        return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    private static boolean parseBoolean(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(value);
        };
    }

    private record Setting(String value, String source) {
    }
}
