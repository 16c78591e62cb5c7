package dev.emma.agent.install;

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
    private boolean wovenAtRunTime;

    InstallResult(List<Target> targets) {
        this.targets = List.copyOf(targets);
    }

    synchronized void applied(List<Target> changed, boolean fromPatch) {
        applied.addAll(changed);
        if (!fromPatch) {
            for (Target target : changed) {
                if (target.change() instanceof Target.Change.Advise) {
                    wovenAtRunTime = true;
                }
            }
        }
        for (Target target : changed) {
            failures.remove(target); // a later retransformation succeeded
        }
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

    /**
     * The retransformation of {@code classNames} threw: the JVM kept none of the batch's new bytes,
     * so their targets are not applied, whatever the transformer returned for them (another agent's
     * change that the JVM refused, in any class of the batch, undoes ours in all of them).
     */
    synchronized void retransformFailed(Throwable error, Set<String> classNames) {
        retransformError = error;
        for (Target target : targets) {
            if (classNames.contains(target.className())) {
                applied.remove(target);
                failures.put(target, "the JVM refused the retransformation: " + error);
            }
        }
    }

    public synchronized boolean isApplied(Target target) {
        return applied.contains(target);
    }

    /** Whether every required target was applied: without that the agent must fail open. */
    public synchronized boolean requiredApplied() {
        for (Target target : targets) {
            if (target.isRequired() && !applied.contains(target)) {
                return false;
            }
        }
        return true;
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
        for (Map.Entry<Target, String> missing : notApplied().entrySet()) {
            if (missing.getKey().isRequired()) {
                return missing.getKey().describe() + ": " + missing.getValue();
            }
        }
        return "no error reported";
    }

    /** Whether Byte Buddy had to weave advice at run time: a build-time patch was missing or did not fit this JDK. */
    public synchronized boolean wovenAtRunTime() {
        return wovenAtRunTime;
    }

    public Throwable retransformError() {
        synchronized (this) {
            return retransformError;
        }
    }
}
