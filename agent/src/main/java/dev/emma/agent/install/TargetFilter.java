package dev.emma.agent.install;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Set;

/**
 * Hands only the few JDK classes the agent changes to Byte Buddy's transformer: every other class
 * the application loads costs one set look-up, not a Byte Buddy type description.
 */
final class TargetFilter implements ClassFileTransformer {

    private final Set<String> internalNames;
    private final ClassFileTransformer delegate;

    TargetFilter(Set<String> internalNames, ClassFileTransformer delegate) {
        this.internalNames = Set.copyOf(internalNames);
        this.delegate = delegate;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) throws IllegalClassFormatException {
        if (className == null || !internalNames.contains(className)) {
            return null;
        }
        return delegate.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }
}
