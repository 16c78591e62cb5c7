package dev.emma.agent.install;

import dev.emma.agent.log.AgentLog;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;

/**
 * Rewrites the target classes of the bootstrap loader, and hands every other class back untouched
 * after one map look-up. Never throws: the JVM would ignore the exception and the target would
 * silently stay unchanged; failures are recorded in the {@link InstallResult} instead.
 */
final class JdkTransformer implements ClassFileTransformer {

    private final Map<String, List<Target>> targetsByClass;
    private final Weaving weaving;
    private final InstallResult result;
    private final java.util.Set<String> warned = new java.util.HashSet<>(); // classes whose dropped change was logged

    JdkTransformer(Map<String, List<Target>> targetsByClass, Weaving weaving, InstallResult result) {
        this.targetsByClass = Map.copyOf(targetsByClass);
        this.weaving = weaving;
        this.result = result;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader != null || className == null) {
            return null; // every target is a bootstrap class; an application's look-alike is not ours
        }
        List<Target> targets = targetsByClass.get(className);
        if (targets == null) {
            return null;
        }
        byte[] stored = weaving.exactPatch(className.replace('/', '.'), classfileBuffer);
        if (stored != null) {
            result.applied(targets, true);
            return stored;
        }
        Object failure;
        try {
            weaving.openWeaver();
            ClassRewriter.Rewritten rewritten = new ClassRewriter(weaving, targets).rewrite(classfileBuffer);
            if (rewritten.missing().isEmpty()) {
                result.applied(targets, rewritten.patched());
                return rewritten.bytes();
            }
            // all or nothing per class: a half-changed Unsafe could free Emma's memory with libc
            failure = "not found in this JDK: " + rewritten.missing();
        } catch (Throwable e) {
            failure = e;
        }
        if (classBeingRedefined != null && result.isApplied(targets.get(0))) {
            byte[] again = emmasOwnAgain(className, classBeingRedefined, targets);
            if (again != null) {
                warnDropped(className, failure);
                return again;
            }
        }
        result.failed(targets, failure);
        return null;
    }

    /**
     * A later retransformation (another agent's, handing us its change) of a class whose changes are
     * in place, and the change cannot be woven into its bytes: returning null would install the class
     * without Emma's advice while Emma's blocks are out, and the next free of one would reach libc
     * (an abort). So the class gets Emma's change again on the JDK's own bytes, without the other
     * agent's: the stored result installed before, read again from the jar (the JVM hands the same
     * bytes it first did), else Byte Buddy's weaving of the JDK's class file, if Byte Buddy is open.
     * Null if neither works. Nothing is kept on the heap for this.
     */
    private byte[] emmasOwnAgain(String className, Class<?> classBeingRedefined, List<Target> targets) {
        byte[] stored = weaving.exactPatchBefore(className.replace('/', '.'));
        if (stored != null) {
            return stored;
        }
        if (!weaving.weaverOpen()) {
            return null;
        }
        try (InputStream in = classBeingRedefined.getModule().getResourceAsStream(className + ".class")) {
            if (in == null) {
                return null;
            }
            ClassRewriter.Rewritten rewritten = new ClassRewriter(weaving, targets).rewrite(in.readAllBytes());
            return rewritten.missing().isEmpty() ? rewritten.bytes() : null;
        } catch (Throwable e) {
            return null;
        }
    }

    /** Once per class: an agent that retransforms it again and again must not flood the log. */
    private void warnDropped(String className, Object failure) {
        synchronized (warned) {
            if (!warned.add(className)) {
                return;
            }
        }
        try {
            AgentLog.warning("another agent's change to " + className.replace('/', '.')
                    + " is dropped: Emma could not weave its advice into it (" + failure
                    + "), so the class gets Emma's change again on the JDK's own bytes, without it (if the JVM"
                    + " refuses that, for instance because that agent added members, the class keeps its current"
                    + " version, which has Emma's change)");
        } catch (Throwable e) {
            // logging must not undo the class: the bytes are returned all the same
        }
    }
}
