package dev.emma.options;

import java.util.Locale;

/**
 * Every option of Emma and of its agent: the one table. Each has one name, spelled the same way
 * in every source: {@code key} in the agent's arguments ({@code -javaagent:emma-agent.jar=key=value,...}),
 * {@code -Demma.key=value}, and {@code EMMA_KEY} (camel case as upper snake case:
 * {@code purgeDelay} is {@code EMMA_PURGE_DELAY}). Values have one grammar, see {@link Kind}.
 */
public enum Option {
    MODE("mode", Kind.CHOICE, "emma|passthrough|off", "emma", false),
    INSTALL("install", Kind.CHOICE, "premain|background", "premain", false),
    CHECKS("checks", Kind.BOOLEAN, "true|false", "false", true),
    STATS("stats", Kind.PERIOD_OR_OFF, "off|<period, e.g. 10s or 500ms>", "off", false),
    SUMMARY("summary", Kind.BOOLEAN, "true|false", "false", false),
    STRICT("strict", Kind.BOOLEAN, "true|false", "false", false),
    PURGE_DELAY("purgeDelay", Kind.PERIOD, "<period, e.g. 500ms or 2s>", "500ms", true),
    MAX_MAPPED_BYTES("maxMappedBytes", Kind.BYTES, "<bytes, e.g. 512m or 4g; 0 = no cap>", "0", true),
    SHARED_HEAPS("sharedHeaps", Kind.WHOLE_NUMBER, "<1..1024>", "2 x cores, 4..64", true, 1, 1024),
    BACKGROUND_PURGE("backgroundPurge", Kind.BOOLEAN, "true|false", "true", true),
    LINKER("linker", Kind.CHOICE, "known|all|off", "known", false),
    SITES("sites", Kind.WHOLE_NUMBER, "<0..1000: allocation sites printed at exit, 0 = off>", "0", false, 0, 1000);

    /** The value grammars. */
    public enum Kind {
        /** {@code true} or {@code false}, any case; a bare key in the agent's arguments is {@code true}. */
        BOOLEAN,
        /** One of the listed words, any case. */
        CHOICE,
        /** A number with a unit, {@code ms}, {@code s}, {@code m} or {@code h}; {@code 0} needs none. */
        PERIOD,
        /** {@code off}, or a {@link #PERIOD}. */
        PERIOD_OR_OFF,
        /** A number of bytes with an optional unit {@code k}, {@code m}, {@code g} or {@code t} (powers of 1024). */
        BYTES,
        /** A whole number in the option's range ({@code sharedHeaps}: 1..1024). */
        WHOLE_NUMBER
    }

    /** Emma's system properties start with it, {@code -Demma.purgeDelay}. */
    public static final String PROPERTY_PREFIX = "emma.";
    /** Reserved for the project's own tests ({@code -Demma.test.seed}): not options, never reported. */
    public static final String TEST_PROPERTY_PREFIX = "emma.test.";
    /** Emma's environment variables start with it, {@code EMMA_PURGE_DELAY}. */
    public static final String ENVIRONMENT_PREFIX = "EMMA_";

    private final String key;
    private final Kind kind;
    private final String validForms;
    private final String defaultText;
    private final boolean core;
    private final int min; // WHOLE_NUMBER only
    private final int max;

    Option(String key, Kind kind, String validForms, String defaultText, boolean core) {
        this(key, kind, validForms, defaultText, core, 0, 0);
    }

    Option(String key, Kind kind, String validForms, String defaultText, boolean core, int min, int max) {
        this.key = key;
        this.kind = kind;
        this.validForms = validForms;
        this.defaultText = defaultText;
        this.core = core;
        this.min = min;
        this.max = max;
    }

    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** For messages: {@code true|false}, {@code <bytes, e.g. 512m or 4g; 0 = no cap>}. */
    public String validForms() {
        return validForms;
    }

    /** The default, as text (the core's defaults may depend on the machine). */
    public String defaultText() {
        return defaultText;
    }

    /** Whether it configures the allocator itself (an {@code EmmaConfig} field) rather than the agent. */
    public boolean isCore() {
        return core;
    }

    public String systemProperty() {
        return PROPERTY_PREFIX + key;
    }

    /** {@code purgeDelay} is {@code EMMA_PURGE_DELAY}. */
    public String environmentVariable() {
        return ENVIRONMENT_PREFIX + name();
    }

    /** The option spelled {@code key} in the agent's arguments, or null. */
    public static Option byKey(String key) {
        for (Option option : values()) {
            if (option.key.equals(key)) {
                return option;
            }
        }
        return null;
    }

    /** The option read from system property {@code name}, or null. */
    public static Option bySystemProperty(String name) {
        return name.startsWith(PROPERTY_PREFIX) ? byKey(name.substring(PROPERTY_PREFIX.length())) : null;
    }

    /** The option read from environment variable {@code name}, or null. */
    public static Option byEnvironmentVariable(String name) {
        for (Option option : values()) {
            if (option.environmentVariable().equals(name)) {
                return option;
            }
        }
        return null;
    }

    /**
     * The option whose environment variable {@code name} is, up to case and underscores
     * ({@code EMMA_Purge_Delay}, {@code EMMA_PURGEDELAY}), or null: such a name is a misspelt
     * option, which must fail as an unknown one, not pass as another tool's variable.
     */
    public static Option byEnvironmentVariableLoosely(String name) {
        String loose = loosely(name);
        for (Option option : values()) {
            if (loosely(option.environmentVariable()).equals(loose)) {
                return option;
            }
        }
        return null;
    }

    private static String loosely(String name) {
        return name.replace("_", "").toUpperCase(java.util.Locale.ROOT);
    }

    /** Every option with its valid forms, for the message about an unknown one. */
    public static String describeAll() {
        StringBuilder text = new StringBuilder();
        for (Option option : values()) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(option.key).append('=').append(option.validForms);
        }
        return text.toString();
    }

    /** Parses a value of this option's kind; throws {@link IllegalArgumentException} on a bad one. */
    Object parse(String text) {
        String value = text.trim();
        return switch (kind) {
            case BOOLEAN -> parseBoolean(value);
            case CHOICE -> parseChoice(value);
            case PERIOD -> Units.parsePeriod(value);
            case PERIOD_OR_OFF -> value.equalsIgnoreCase("off") ? java.time.Duration.ZERO : Units.parsePeriod(value);
            case BYTES -> Units.parseBytes(value);
            case WHOLE_NUMBER -> Units.parseIntInRange(value, min, max);
        };
    }

    private static Boolean parseBoolean(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(value);
        };
    }

    private String parseChoice(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        for (String choice : validForms.split("\\|")) {
            if (choice.equals(lower)) {
                return choice;
            }
        }
        throw new IllegalArgumentException(value);
    }
}
