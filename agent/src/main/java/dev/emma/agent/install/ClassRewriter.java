package dev.emma.agent.install;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Rewrites one class file: the target methods get their change, every other method is copied
 * byte for byte (a {@link ClassWriter} built on the {@link ClassReader} copies the constant pool
 * and unchanged methods without parsing them). Frames are neither expanded nor recomputed:
 * recomputing them would load classes to find common supertypes.
 */
final class ClassRewriter {

    /** @param missing the targets (or calls to swap) that this class file does not have; the bytes are unusable unless empty */
    record Rewritten(byte[] bytes, List<String> missing) {
    }

    private final AdviceWeaver weaver;
    private final Map<String, Target> byMethod = new HashMap<>();

    ClassRewriter(AdviceWeaver weaver, List<Target> targets) {
        this.weaver = weaver;
        for (Target target : targets) {
            byMethod.put(target.methodName() + target.descriptor(), target);
        }
    }

    Rewritten rewrite(byte[] original) {
        ClassReader reader = OpenedClassReader.of(original);
        ClassWriter writer = new ClassWriter(reader, 0);
        ClassFileVersion version = ClassFileVersion.ofClassFile(original);
        Map<String, Target> pending = new HashMap<>(byMethod);
        List<CallSwapper> swappers = new ArrayList<>();
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                Target target = pending.remove(name + descriptor);
                if (target == null) {
                    return visitor;
                }
                if (target.change() instanceof Target.Change.Advise advise) {
                    return weaver.wrap(advise.advice(), original, target, visitor, version);
                }
                CallSwapper swapper = new CallSwapper(visitor, ((Target.Change.SwapCalls) target.change()).swaps());
                swappers.add(swapper);
                return swapper;
            }
        }, 0);
        List<String> missing = new ArrayList<>();
        pending.values().forEach(target -> missing.add(target.describe()));
        swappers.forEach(swapper -> missing.addAll(swapper.unswapped()));
        return new Rewritten(writer.toByteArray(), missing);
    }
}
