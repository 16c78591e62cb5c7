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
    private final Weaving weaving;

    /**
     * @param agentClasses the loader of the agent's classes, where Byte Buddy reads advice class files
     * @param patches      what the build wove already, see {@link Patches}
     */
    public Installer(Instrumentation instrumentation, ClassLoader agentClasses, Patches patches) {
        this.instrumentation = instrumentation;
        this.weaving = new Weaving(agentClasses, patches, WeaverJar.of(instrumentation, agentClasses));
    }

    public InstallResult install(List<Target> targets) {
        Map<String, List<Target>> byClass = new LinkedHashMap<>();
        for (Target target : targets) {
            List<Target> ofClass = byClass.get(target.internalClassName());
            if (ofClass == null) {
                ofClass = new ArrayList<>();
                byClass.put(target.internalClassName(), ofClass);
            }
            ofClass.add(target);
        }
        InstallResult result = new InstallResult(targets);
        JdkTransformer transformer = new JdkTransformer(byClass, weaving, result);
        List<Class<?>> classes = loadNow(targets, result); // loaded before the transformer: retransformed below
        loadWhatRetransformingLoads(classes);
        instrumentation.addTransformer(transformer, true);
        // Only now: a class that loads from here on is changed as it loads, one loaded before is in this list.
        classes.addAll(alreadyLoaded(targets));
        if (!classes.isEmpty()) {
            try {
                instrumentation.retransformClasses(classes.toArray(new Class<?>[0]));
            } catch (Exception | LinkageError e) {
                Set<String> names = new HashSet<>();
                for (Class<?> type : classes) {
                    names.add(type.getName());
                }
                result.retransformFailed(e, names);
            }
        }
        return result;
    }

    /** The classes of the {@code loadNow} targets, loaded if need be. */
    private static List<Class<?>> loadNow(List<Target> targets, InstallResult result) {
        Set<String> seen = new HashSet<>();
        List<Class<?>> classes = new ArrayList<>();
        for (Target target : targets) {
            if (target.loadNow() && seen.add(target.className())) {
                try {
                    classes.add(Class.forName(target.className(), false, null));
                } catch (ClassNotFoundException e) {
                    result.classMissing(target.className());
                }
            }
        }
        return classes;
    }

    /**
     * Loads, before the transformer is added, the classes that retransforming {@code classes} would
     * load (as the build found them on this JDK): loaded after, each would be copied onto the heap
     * for the transformer (about 200 KiB for {@code DirectByteBuffer}'s, garbage every JVM keeps
     * resident). A class this JDK lacks is skipped; it is the same class either way.
     */
    private void loadWhatRetransformingLoads(List<Class<?>> classes) {
        for (Class<?> type : classes) {
            for (String name : weaving.loadsOf(type.getName())) {
                try {
                    Class.forName(name, false, null);
                } catch (ClassNotFoundException | LinkageError e) {
                    // loaded by the verifier, or not at all: no harm either way
                }
            }
        }
    }

    /** The classes of the other targets that the JVM loaded already. */
    private List<Class<?>> alreadyLoaded(List<Target> targets) {
        Set<String> ifLoaded = new HashSet<>();
        for (Target target : targets) {
            if (!target.loadNow()) {
                ifLoaded.add(target.className());
            }
        }
        for (Target target : targets) {
            if (target.loadNow()) {
                ifLoaded.remove(target.className());
            }
        }
        List<Class<?>> classes = new ArrayList<>();
        if (!ifLoaded.isEmpty()) {
            for (Class<?> type : instrumentation.getAllLoadedClasses()) {
                // getName() makes (and keeps) a String per class: arrays and hidden classes are never targets
                if (type.getClassLoader() == null && !type.isArray() && !type.isHidden() && ifLoaded.contains(type.getName())) {
                    classes.add(type);
                }
            }
        }
        return classes;
    }
}
