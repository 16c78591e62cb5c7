package dev.emma.agent.install;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an installation achieved, target by target. Filled in by the transformer, possibly on
 * another thread and later (a class changed when it loads), hence synchronized.
 */
public final class InstallResult {

    private final List<Target> targets;
    private final Set<Target> applied = new java.util.HashSet<>();
    private final Map<Target, String> failures = new LinkedHashMap<>();
    private Throwable retransformError;

    InstallResult(List<Target> targets) {
        this.targets = List.copyOf(targets);
    }

    synchronized void applied(List<Target> changed) {
        applied.addAll(changed);
        changed.forEach(failures::remove); // a later retransformation succeeded
    }

    synchronized void failed(List<Target> changed, Object why) {
        for (Target target : changed) {
            if (!applied.contains(target)) {
                failures.put(target, String.valueOf(why));
            }
        }
    }

    synchronized void classMissing(String className) {
        for (Target target : targets) {
            if (target.className().equals(className)) {
                failures.put(target, "class not in this JDK");
            }
        }
    }

    synchronized void retransformFailed(Throwable error) {
        retransformError = error;
    }

    public synchronized boolean isApplied(Target target) {
        return applied.contains(target);
    }

    /** Whether every required target was applied: without that the agent must fail open. */
    public synchronized boolean requiredApplied() {
        return targets.stream().filter(Target::isRequired).allMatch(applied::contains);
    }

    /** The {@code loadNow} targets that were not applied, with the reason: each is reported. */
    public synchronized Map<Target, String> notApplied() {
        Map<Target, String> missing = new LinkedHashMap<>();
        for (Target target : targets) {
            if (target.loadNow() && !applied.contains(target)) {
                String why = failures.get(target);
                if (why == null) {
                    why = retransformError != null ? String.valueOf(retransformError) : "not transformed";
                }
                missing.put(target, why);
            }
        }
        return missing;
    }

    /** The first failure of a required target, for the fail-open message. */
    public synchronized String firstRequiredFailure() {
        List<String> lines = new ArrayList<>();
        notApplied().forEach((target, why) -> {
            if (target.isRequired()) {
                lines.add(target.describe() + ": " + why);
            }
        });
        return lines.isEmpty() ? "no error reported" : lines.get(0);
    }

    public Throwable retransformError() {
        synchronized (this) {
            return retransformError;
        }
    }
}
