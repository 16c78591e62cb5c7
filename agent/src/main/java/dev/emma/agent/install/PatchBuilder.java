package dev.emma.agent.install;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Run by the build (agent/pom.xml) as an agent of its own on the build's JDK: weaves every
 * {@link Target} into the build JDK's classes with Byte Buddy, exactly as the agent would at
 * start-up, and writes the results as {@link Patches} into the jar's {@value Patches#DIRECTORY}.
 * It needs to be an agent to see the class files the JVM hands to a transformer on
 * retransformation (reconstituted from the loaded class, not the bytes in the runtime image).
 */
public final class PatchBuilder {

    private static Instrumentation instrumentation;

    private PatchBuilder() {
    }

    public static void premain(String arguments, Instrumentation inst) {
        instrumentation = inst;
    }

    /** @param args the directory to write the patches to */
    public static void main(String[] args) throws Exception {
        if (instrumentation == null) {
            throw new IllegalStateException("run me with -javaagent: I need to see what a retransformation hands over");
        }
        Path directory = Path.of(args[0]);
        Files.createDirectories(directory);
        for (Map.Entry<String, List<Target>> entry : byClass(Targets.all(true)).entrySet()) {
            String className = entry.getKey();
            List<Target> targets = entry.getValue();
            byte[] original = jdkClassFile(className);
            List<byte[][]> pairs = new ArrayList<>();
            List<String> loads = new ArrayList<>();
            byte[] reconstituted = retransformed(Class.forName(className, false, null), loads);
            pairs.add(new byte[][] {reconstituted, weave(reconstituted, targets)});
            if (targets.get(0).loadNow() && !loads.isEmpty()) {
                Files.write(directory.resolve(className + Patches.LOADS), Patches.encodeLoads(Patches.jdkVersion(), loads));
            }
            if (!targets.get(0).loadNow()) { // also changed as it loads: the bytes of the runtime image
                pairs.add(new byte[][] {original, weave(original, targets)});
            }
            for (Map.Entry<String, byte[]> stored : Patches.entries(className, pairs).entrySet()) {
                Files.write(directory.resolve(stored.getKey().substring(Patches.DIRECTORY.length())), stored.getValue());
            }
            List<Target> advised = advised(targets);
            if (!advised.isEmpty()) {
                Files.write(directory.resolve(className + ".patch"), methodPatch(original, advised));
            }
        }
    }

    private static Map<String, List<Target>> byClass(List<Target> targets) {
        Map<String, List<Target>> byClass = new LinkedHashMap<>();
        for (Target target : targets) {
            byClass.computeIfAbsent(target.className(), name -> new ArrayList<>()).add(target);
        }
        return byClass;
    }

    private static List<Target> advised(List<Target> targets) {
        List<Target> advised = new ArrayList<>();
        for (Target target : targets) {
            if (target.change() instanceof Target.Change.Advise) {
                advised.add(target);
            }
        }
        return advised;
    }

    /** What the agent makes of this class file when it has no patch: Byte Buddy's weaving and the call swaps. */
    static byte[] weave(byte[] classFile, List<Target> targets) {
        ClassRewriter.Rewritten rewritten = new ClassRewriter(new Weaving(PatchBuilder.class.getClassLoader(), Patches.none()), targets)
                .rewrite(classFile);
        if (!rewritten.missing().isEmpty() || rewritten.patched()) {
            throw new IllegalStateException("cannot weave " + targets + ": " + rewritten.missing());
        }
        return rewritten.bytes();
    }

    /**
     * The class file a transformer is handed when the loaded class is retransformed; {@code loads}
     * gets the JDK classes that loaded meanwhile (the verifier's, checking the redefined class).
     */
    private static byte[] retransformed(Class<?> type, List<String> loads) throws UnmodifiableClassException {
        byte[][] captured = new byte[1][];
        ClassFileTransformer capture = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] classFile) {
                if (redefined == type) {
                    captured[0] = classFile.clone();
                } else if (redefined == null && loader == null && name != null) {
                    loads.add(name.replace('/', '.'));
                }
                return null;
            }
        };
        instrumentation.addTransformer(capture, true);
        try {
            instrumentation.retransformClasses(type);
        } finally {
            instrumentation.removeTransformer(capture);
        }
        return captured[0];
    }

    /** The {@link Patch} of one class: its advice targets woven by Byte Buddy, and their originals. */
    static byte[] methodPatch(byte[] original, List<Target> targets) {
        byte[] woven = new ClassRewriter(new Weaving(PatchBuilder.class.getClassLoader(), Patches.none()), targets).weaveWithByteBuddy(original);
        ClassWriter patch = new ClassWriter(0);
        patch.visit(Opcodes.V17, Opcodes.ACC_SYNTHETIC | Opcodes.ACC_ABSTRACT, "dev/emma/agent/patch/" + new ClassReader(original)
                .getClassName().replace('/', '$'), null, "java/lang/Object", null);
        copyMethods(woven, targets, patch, false);
        copyMethods(original, targets, patch, true);
        patch.visitEnd();
        return patch.toByteArray();
    }

    private static void copyMethods(byte[] classFile, List<Target> targets, ClassWriter patch, boolean asOriginals) {
        new ClassReader(classFile).accept(new ClassVisitor(ClassRewriter.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                for (Target target : targets) {
                    if (target.methodName().equals(name) && target.descriptor().equals(descriptor)) {
                        return patch.visitMethod(access, asOriginals ? Patch.originalName(name) : name, descriptor, signature, exceptions);
                    }
                }
                return null;
            }
        }, 0);
    }

    static byte[] jdkClassFile(String className) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(className.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IOException(className + " is not in this JDK");
            }
            return in.readAllBytes();
        }
    }
}
