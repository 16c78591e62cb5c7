package dev.emma.agent.install;

import java.util.Map;
import java.util.Set;

/**
 * What an installation achieved.
 *
 * @param transformed      the classes Byte Buddy changed
 * @param errors           per class, what failed
 * @param retransformError a failure of the retransformation call itself, or null
 */
public record InstallResult(Set<String> transformed, Map<String, Throwable> errors, Throwable retransformError) {

    public boolean isTransformed(String className) {
        return transformed.contains(className) && !errors.containsKey(className);
    }

    /** A one-line description of the first failure, for the fail-open message. */
    public String firstFailure() {
        if (retransformError != null) {
            return String.valueOf(retransformError);
        }
        return errors.entrySet().stream().findFirst().map(e -> e.getKey() + ": " + e.getValue()).orElse("no error reported");
    }
}
