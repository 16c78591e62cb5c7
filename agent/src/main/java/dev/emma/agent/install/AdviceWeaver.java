package dev.emma.agent.install;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.pool.TypePool;

/**
 * Inlines Byte Buddy advice into one method's code. The advice classes and the target class are
 * described from their class files (a {@link TypePool}), not by reflection: no annotation proxies,
 * no loading of what the descriptions mention.
 */
final class AdviceWeaver {

    private final ClassFileLocator agentClassFiles;
    private final TypePool agentTypes;
    private final Map<Class<?>, Advice> prepared = new ConcurrentHashMap<>();

    AdviceWeaver(ClassLoader agentClasses) {
        this.agentClassFiles = ClassFileLocator.ForClassLoader.of(agentClasses);
        this.agentTypes = new TypePool.Default(new TypePool.CacheProvider.Simple(), agentClassFiles, TypePool.Default.ReaderMode.FAST);
    }

    MethodVisitor wrap(Class<?> adviceClass, byte[] targetClassFile, Target target, MethodVisitor visitor, ClassFileVersion version) {
        Advice advice = prepared.get(adviceClass);
        if (advice == null) {
            advice = Advice.to(agentTypes.describe(adviceClass.getName()).resolve(), agentClassFiles);
            prepared.put(adviceClass, advice);
        }
        TypePool targetTypes = new TypePool.Default(new TypePool.CacheProvider.Simple(), new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(target.className(), targetClassFile), ClassFileLocator.ForClassLoader.ofBootLoader()),
                TypePool.Default.ReaderMode.FAST);
        TypeDescription type = targetTypes.describe(target.className()).resolve();
        MethodDescription method = find(type, target);
        Implementation.Context context = new Implementation.Context.Disabled(type, version,
                Implementation.Context.FrameGeneration.GENERATE) {
        };
        return advice.wrap(type, method, visitor, context, targetTypes, 0, 0);
    }

    private static MethodDescription find(TypeDescription type, Target target) {
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            if (method.getInternalName().equals(target.methodName()) && method.getDescriptor().equals(target.descriptor())) {
                return method;
            }
        }
        throw new IllegalStateException(target.describe() + " is in the class file but not in its description");
    }
}
