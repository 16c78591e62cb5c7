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
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Rewrites one class file: the target methods get their change, every other method is copied
 * byte for byte (a {@link ClassWriter} built on the {@link ClassReader} copies the constant pool
 * and unchanged methods without parsing them). Frames are neither expanded nor recomputed:
 * recomputing them would load classes to find common supertypes.
 *
 * <p>Advice comes from the class's build-time {@link Patch} when every advised method of the
 * running JDK is the same code as the patch's original; otherwise Byte Buddy weaves it now.
 */
final class ClassRewriter {

    /** @param missing the targets (or calls to swap) that this class file does not have; the bytes are unusable unless empty */
    record Rewritten(byte[] bytes, List<String> missing, boolean patched) {
    }

    /** The ASM API level of every visitor here. */
    static final int ASM_API = Opcodes.ASM9;

    private final Weaving weaving;
    private final List<Target> targets;

    ClassRewriter(Weaving weaving, List<Target> targets) {
        this.weaving = weaving;
        this.targets = targets;
    }

    Rewritten rewrite(byte[] original) {
        ClassReader reader = reader(original);
        List<Target> advised = new ArrayList<>();
        for (Target target : targets) {
            if (target.change() instanceof Target.Change.Advise) {
                advised.add(target);
            }
        }
        Splice splice = null;
        if (!advised.isEmpty()) {
            Patch patch = weaving.patchFor(reader.getClassName().replace('/', '.'));
            splice = patch == null ? null : Splice.of(patch, reader, advised);
        }
        return rewrite(reader, original, splice);
    }

    /** ASM's own reader, unless the class file is newer than it knows: then Byte Buddy's, which may still read it. */
    private static ClassReader reader(byte[] classFile) {
        try {
            return new ClassReader(classFile);
        } catch (IllegalArgumentException e) {
            return OpenedClassReader.of(classFile);
        }
    }

    /** Byte Buddy's weaving, whatever patches exist: what {@link PatchBuilder} stores. */
    byte[] weaveWithByteBuddy(byte[] original) {
        Rewritten rewritten = rewrite(reader(original), original, null);
        if (!rewritten.missing().isEmpty()) {
            throw new IllegalStateException("not in this JDK: " + rewritten.missing());
        }
        return rewritten.bytes();
    }

    private Rewritten rewrite(ClassReader reader, byte[] original, Splice splice) {
        ClassWriter writer = new ClassWriter(reader, 0);
        Map<String, Target> pending = new HashMap<>();
        for (Target target : targets) {
            pending.put(target.methodName() + target.descriptor(), target);
        }
        List<CallSwapper> swappers = new ArrayList<>();
        reader.accept(new ClassVisitor(ASM_API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                Target target = pending.remove(name + descriptor);
                if (target == null) {
                    return super.visitMethod(access, name, descriptor, signature, exceptions);
                }
                if (target.change() instanceof Target.Change.Advise advise) {
                    if (splice != null) {
                        splice.replay(name, descriptor, writer);
                        return null; // the original is not copied
                    }
                    return weaving.byteBuddy().wrap(advise.advice(), original, target,
                            super.visitMethod(access, name, descriptor, signature, exceptions), ClassFileVersion.ofClassFile(original));
                }
                CallSwapper swapper = new CallSwapper(super.visitMethod(access, name, descriptor, signature, exceptions),
                        ((Target.Change.SwapCalls) target.change()).swaps());
                swappers.add(swapper);
                return swapper;
            }
        }, 0);
        List<String> missing = new ArrayList<>();
        for (Target target : pending.values()) {
            missing.add(target.describe());
        }
        for (CallSwapper swapper : swappers) {
            missing.addAll(swapper.unswapped());
        }
        return new Rewritten(writer.toByteArray(), missing, splice != null);
    }

    /** A patch that fits the running class: for each advised method, its line numbers here and in the build's JDK. */
    private record Splice(Patch patch, Map<String, int[][]> lines) {

        /** Null unless every advised method of {@code reader}'s class is the same code as the patch's original. */
        static Splice of(Patch patch, ClassReader reader, List<Target> advised) {
            Map<String, MethodText.Rendered> stored = patch.originals();
            Map<String, MethodText.Rendered> running = render(reader, advised);
            Map<String, int[][]> lines = new HashMap<>();
            for (Target target : advised) {
                String key = target.methodName() + target.descriptor();
                MethodText.Rendered built = stored.get(key);
                MethodText.Rendered here = running.get(key);
                if (built == null || here == null || !built.sameCode(here)) {
                    return null;
                }
                lines.put(key, new int[][] {built.lines(), here.lines()});
            }
            return new Splice(patch, lines);
        }

        void replay(String name, String descriptor, ClassVisitor writer) {
            int[][] pair = lines.get(name + descriptor);
            patch.replay(name, descriptor, writer, pair[0], pair[1]);
        }

        private static Map<String, MethodText.Rendered> render(ClassReader reader, List<Target> advised) {
            Map<String, MethodText.Rendered> rendered = new HashMap<>();
            reader.accept(new ClassVisitor(ASM_API) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    for (Target target : advised) {
                        if (target.methodName().equals(name) && target.descriptor().equals(descriptor)) {
                            return new MethodText(access, name, descriptor, signature, exceptions) {
                                @Override
                                public void visitEnd() {
                                    rendered.put(name + descriptor, rendered());
                                }
                            };
                        }
                    }
                    return null;
                }
            }, 0);
            return rendered;
        }
    }
}
