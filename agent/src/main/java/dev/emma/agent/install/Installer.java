package dev.emma.agent.install;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a list of {@link Target}s: one {@link java.lang.instrument.ClassFileTransformer} that
 * rewrites exactly the target classes (every other class the JVM loads costs one map look-up),
 * then one retransformation of the target classes that are loaded. Byte Buddy is used for what it
 * is best at, inlining advice; no {@code AgentBuilder}, no matchers over every loaded class, no
 * type pool over the JDK: start-up cost and memory stay small.
 *
 * <p>The transformer stays registered, so that a later retransformation by another agent (which
 * starts again from the JDK's original bytes) keeps our changes. Class formats are never changed
 * (no new members), as retransformation requires.
 */
public final class Installer {

    private final Instrumentation instrumentation;
    private final AdviceWeaver weaver;

    /** @param agentClasses the loader of the agent's classes, where advice class files are read */
    public Installer(Instrumentation instrumentation, ClassLoader agentClasses) {
        this.instrumentation = instrumentation;
        this.weaver = new AdviceWeaver(agentClasses);
    }

    public InstallResult install(List<Target> targets) {
        Map<String, List<Target>> byClass = new LinkedHashMap<>();
        for (Target target : targets) {
            byClass.computeIfAbsent(target.internalClassName(), name -> new ArrayList<>()).add(target);
        }
        InstallResult result = new InstallResult(targets);
        JdkTransformer transformer = new JdkTransformer(byClass, weaver, result);
        List<Class<?>> loaded = loadedTargetClasses(targets, result);
        instrumentation.addTransformer(transformer, true);
        if (!loaded.isEmpty()) {
            try {
                instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
            } catch (Exception | LinkageError e) {
                result.retransformFailed(e);
            }
        }
        return result;
    }

    /** The target classes to retransform now: loaded for {@code loadNow} targets, already loaded for the others. */
    private List<Class<?>> loadedTargetClasses(List<Target> targets, InstallResult result) {
        Set<String> wanted = new HashSet<>();
        Set<String> ifLoaded = new HashSet<>();
        List<Class<?>> classes = new ArrayList<>();
        for (Target target : targets) {
            if (target.loadNow()) {
                if (wanted.add(target.className())) {
                    try {
                        classes.add(Class.forName(target.className(), false, null));
                    } catch (ClassNotFoundException e) {
                        result.classMissing(target.className());
                    }
                }
            } else {
                ifLoaded.add(target.className());
            }
        }
        ifLoaded.removeAll(wanted);
        if (!ifLoaded.isEmpty()) {
            for (Class<?> type : instrumentation.getAllLoadedClasses()) {
                if (ifLoaded.contains(type.getName()) && type.getClassLoader() == null) {
                    classes.add(type);
                }
            }
        }
        return classes;
    }
}
