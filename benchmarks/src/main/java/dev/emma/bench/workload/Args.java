package dev.emma.bench.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A workload's {@code key=value} command-line arguments, each with a default. Unknown keys fail. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, Set<String> known) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = eq < 0 ? arg : arg.substring(0, eq);
            if (eq < 0 || !known.contains(key)) {
                throw new IllegalArgumentException("bad argument '" + arg + "'; expected key=value with key in " + known);
            }
            values.put(key, arg.substring(eq + 1));
        }
    }

    String string(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    int integer(String key, int fallback) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
    }

    long number(String key, long fallback) {
        return values.containsKey(key) ? Long.parseLong(values.get(key)) : fallback;
    }

    double decimal(String key, double fallback) {
        return values.containsKey(key) ? Double.parseDouble(values.get(key)) : fallback;
    }
}
