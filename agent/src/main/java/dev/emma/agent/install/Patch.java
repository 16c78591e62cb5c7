package dev.emma.agent.install;

import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;

/**
 * Byte Buddy's advice, already woven into the methods of one JDK class, at build time, by
 * {@link PatchBuilder} on the JDK of the build: a class file (never loaded) holding, per advised
 * method, the woven method and, under {@link #originalName}, the original it was woven into.
 *
 * <p>At start-up a patch replaces running Byte Buddy (hundreds of its classes, a few hundred
 * milliseconds) when the running JDK's method is the same code as that original ({@link MethodText}):
 * the woven method is then exactly what Byte Buddy would make of it. Line numbers may differ (the
 * method moved in its source file); they are mapped to the running JDK's. Any other difference and
 * Byte Buddy weaves the advice at start-up instead.
 */
final class Patch {

    private final byte[] classFile;

    Patch(byte[] classFile) {
        this.classFile = classFile;
    }

    /** Where the original of a woven method is kept: {@code original$allocateMemory}, {@code original$$init$}. */
    static String originalName(String methodName) {
        return "original$" + methodName.replace('<', '$').replace('>', '$');
    }

    /** The stored originals, as text, by name and descriptor of the method they are the original of. */
    Map<String, MethodText.Rendered> originals() {
        Map<String, MethodText.Rendered> originals = new HashMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(ClassRewriter.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if (!name.startsWith("original$")) {
                    return null;
                }
                String woven = wovenName(name);
                return new MethodText(access, woven, descriptor, signature, exceptions) {
                    @Override
                    public void visitEnd() {
                        originals.put(woven + descriptor, rendered());
                    }
                };
            }
        }, 0);
        return originals;
    }

    private String wovenName(String originalName) {
        String name = originalName.substring("original$".length());
        return name.equals("$init$") ? "<init>" : name.equals("$clinit$") ? "<clinit>" : name;
    }

    /**
     * Writes the woven method into {@code target} (a class visitor, e.g. the class writer of the
     * running JDK's class), its line numbers mapped from the build JDK's original ({@code built}) to
     * the running one's ({@code running}), which lists as many.
     */
    void replay(String methodName, String descriptor, ClassVisitor target, int[] built, int[] running) {
        Map<Integer, Integer> lines = new HashMap<>();
        for (int i = 0; i < built.length; i++) {
            lines.putIfAbsent(built[i], running[i]);
        }
        new ClassReader(classFile).accept(new ClassVisitor(ClassRewriter.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                if (!name.equals(methodName) || !desc.equals(descriptor)) {
                    return null;
                }
                return new MethodVisitor(ClassRewriter.ASM_API, target.visitMethod(access, name, desc, signature, exceptions)) {
                    @Override
                    public void visitLineNumber(int line, Label start) {
                        super.visitLineNumber(lines.getOrDefault(line, line), start);
                    }
                };
            }
        }, 0);
    }
}
