package dev.emma.agent.install;

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
        try {
            weaving.openWeaver();
            ClassRewriter.Rewritten rewritten = new ClassRewriter(weaving, targets).rewrite(classfileBuffer);
            if (!rewritten.missing().isEmpty()) {
                // all or nothing per class: a half-changed Unsafe could free Emma's memory with libc
                result.failed(targets, "not found in this JDK: " + rewritten.missing());
                return null;
            }
            result.applied(targets, rewritten.patched());
            return rewritten.bytes();
        } catch (Throwable e) {
            result.failed(targets, e);
            return null;
        }
    }
}
