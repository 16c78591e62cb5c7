package dev.emma.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The options given to this process, parsed once from every source. Precedence: the agent's
 * arguments, then {@code -Demma.*} system properties, then {@code EMMA_*} environment variables,
 * then the defaults. An unknown name in the agent's arguments or the system properties
 * ({@code colour=blue}, {@code -Demma.colour}) and a bad value anywhere is an
 * {@link OptionException}. An unknown {@code EMMA_*} environment variable is not ours: the
 * environment is shared by every program a shell starts, and other tools use the prefix (the old
 * EMMA coverage tool's {@code EMMA_HOME}), so it is ignored; a known one with a bad value is an error.
 */
public final class Options {

    public static final String DEFAULT = "default";
    public static final String AGENT_ARGUMENT = "-javaagent argument";

    private final Map<Option, Object> values;
    private final Map<Option, String> sources;

    private Options(Map<Option, Object> values, Map<Option, String> sources) {
        this.values = values;
        this.sources = sources;
    }

    /** This process's system properties and environment, and the agent's arguments (null without the agent). */
    public static Options ofProcess(String agentArguments) {
        Properties properties = System.getProperties();
        Map<String, String> emmaProperties = new java.util.HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(Option.PROPERTY_PREFIX) && !name.startsWith(Option.TEST_PROPERTY_PREFIX)) {
                emmaProperties.put(name, properties.getProperty(name));
            }
        }
        return parse(agentArguments, emmaProperties, System.getenv());
    }

    /**
     * @param agentArguments {@code key=value,...}; a boolean key alone means {@code true}; null or blank for none
     * @param properties     system properties (only {@code emma.*} ones are read)
     * @param environment    environment variables (only {@code EMMA_*} ones are read)
     */
    public static Options parse(String agentArguments, Map<String, String> properties, Map<String, String> environment) {
        Map<Option, Object> values = new EnumMap<>(Option.class);
        Map<Option, String> sources = new EnumMap<>(Option.class);
        for (String name : sorted(environment.keySet(), Option.ENVIRONMENT_PREFIX)) {
            Option option = Option.byEnvironmentVariable(name);
            if (option == null) {
                Option meant = Option.byEnvironmentVariableLoosely(name);
                if (meant != null) { // EMMA_PurgeDelay: a misspelt option, not another tool's variable
                    throw new OptionException("unknown option '" + name + "' (environment variable): did you mean "
                            + meant.environmentVariable() + "?");
                }
                continue; // another tool's variable (EMMA_HOME): ignored, see the class comment
            }
            set(option, environment.get(name), "environment variable " + name, values, sources);
        }
        for (String name : sorted(properties.keySet(), Option.PROPERTY_PREFIX)) {
            if (name.startsWith(Option.TEST_PROPERTY_PREFIX)) {
                continue;
            }
            Option option = Option.bySystemProperty(name);
            if (option == null) {
                throw unknown("-D" + name, "system property");
            }
            set(option, properties.get(name), "system property " + name, values, sources);
        }
        parseArguments(agentArguments, values, sources);
        return new Options(values, sources);
    }

    private static void parseArguments(String agentArguments, Map<Option, Object> values, Map<Option, String> sources) {
        if (agentArguments == null || agentArguments.isBlank()) {
            return;
        }
        List<Option> given = new ArrayList<>();
        for (String item : agentArguments.split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            String key = equals < 0 ? trimmed : trimmed.substring(0, equals).trim();
            Option option = Option.byKey(key);
            if (option == null) {
                throw unknown(key, AGENT_ARGUMENT);
            }
            if (given.contains(option)) {
                throw new OptionException("option " + key + " is given twice in the -javaagent arguments");
            }
            given.add(option);
            if (equals < 0 && option.kind() != Option.Kind.BOOLEAN) {
                throw new OptionException("option " + key + " needs a value (" + AGENT_ARGUMENT + "); valid: "
                        + key + "=" + option.validForms());
            }
            set(option, equals < 0 ? "true" : trimmed.substring(equals + 1), AGENT_ARGUMENT, values, sources);
        }
    }

    private static void set(Option option, String text, String source, Map<Option, Object> values, Map<Option, String> sources) {
        try {
            values.put(option, option.parse(text));
        } catch (IllegalArgumentException e) {
            throw new OptionException("bad value '" + text + "' for option " + option.key() + " (" + source + "); valid: "
                    + option.key() + "=" + option.validForms());
        }
        sources.put(option, source);
    }

    private static OptionException unknown(String name, String source) {
        return new OptionException("unknown option '" + name + "' (" + source + "); valid options: " + Option.describeAll());
    }

    private static List<String> sorted(Iterable<String> names, String prefix) {
        List<String> list = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith(prefix)) {
                list.add(name);
            }
        }
        Collections.sort(list); // the same first error every run
        return list;
    }

    public boolean isSet(Option option) {
        return values.containsKey(option);
    }

    /** Where the value comes from: {@link #AGENT_ARGUMENT}, {@code system property emma.x}, {@code environment variable EMMA_X} or {@link #DEFAULT}. */
    public String source(Option option) {
        String source = sources.get(option);
        return source != null ? source : DEFAULT;
    }

    public boolean flag(Option option) {
        return (Boolean) valueOrDefault(option, Option.Kind.BOOLEAN);
    }

    public String choice(Option option) {
        return (String) valueOrDefault(option, Option.Kind.CHOICE);
    }

    public int number(Option option) {
        return (Integer) valueOrDefault(option, Option.Kind.WHOLE_NUMBER);
    }

    /** A period; {@link Duration#ZERO} for {@code off}. */
    public Duration period(Option option) {
        Object value = option.kind() == Option.Kind.PERIOD ? valueOrDefault(option, Option.Kind.PERIOD)
                : valueOrDefault(option, Option.Kind.PERIOD_OR_OFF);
        return (Duration) value;
    }

    /** The parsed value (Boolean, String, Duration, Long or Integer), or null when the option is not given. */
    public Object valueIfSet(Option option) {
        return values.get(option);
    }

    private Object valueOrDefault(Option option, Option.Kind kind) {
        if (option.kind() != kind) {
            throw new IllegalArgumentException(option.key() + " is not a " + kind);
        }
        Object value = values.get(option);
        return value != null ? value : option.parse(option.defaultText());
    }
}
