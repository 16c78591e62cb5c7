package dev.emma.agent.entry;

import java.util.Locale;

/**
 * Reads the {@code strict} option before the real configuration parser can be loaded (it needs a
 * newer JDK): with it, a JDK that is too old stops start-up instead of running without Emma.
 * Same precedence as the full parser: agent argument, then {@code emma.strict}, then {@code EMMA_STRICT}.
 */
final class StrictFlag {

    private StrictFlag() {
    }

    static boolean isSet(String agentArguments) {
        if (agentArguments != null) {
            for (String option : agentArguments.split(",")) {
                // as the real parser does: the key is what precedes the first '=', trimmed ("strict = true")
                String trimmed = option.trim();
                int equals = trimmed.indexOf('=');
                String key = equals < 0 ? trimmed : trimmed.substring(0, equals).trim();
                if (key.equals("strict")) {
                    return equals < 0 || isTrue(trimmed.substring(equals + 1));
                }
            }
        }
        String property = System.getProperty("emma.strict");
        if (property != null) {
            return isTrue(property);
        }
        String environment = System.getenv("EMMA_STRICT");
        return environment != null && isTrue(environment);
    }

    private static boolean isTrue(String value) {
        return value.trim().toLowerCase(Locale.ROOT).equals("true");
    }
}
