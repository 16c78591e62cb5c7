package dev.emma.it.app;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Another agent, loaded before Emma's, that retransforms {@code jdk.internal.misc.Unsafe} while the
 * application runs ({@link #retransformUnsafe}), with a harmless change a tracing agent might make: a
 * NOP at the start of {@code freeMemory}. Emma's transformer then gets these bytes, which no stored
 * result fits. Its ASM comes from the application's Byte Buddy on the class path.
 */
public final class LaterUnsafeRetransformingAgent {

    private static volatile Instrumentation instrumentation;
    private static volatile boolean active;

    private LaterUnsafeRetransformingAgent() {
    }

    public static void premain(String arguments, Instrumentation inst) {
        instrumentation = inst;
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] bytes) {
                if (!active || !"jdk/internal/misc/Unsafe".equals(name)) {
                    return null;
                }
                ClassReader reader = new ClassReader(bytes);
                ClassWriter writer = new ClassWriter(reader, 0);
                reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(int access, String method, String descriptor, String signature, String[] exceptions) {
                        MethodVisitor visitor = super.visitMethod(access, method, descriptor, signature, exceptions);
                        if (!method.equals("freeMemory") || !descriptor.equals("(J)V")) {
                            return visitor;
                        }
                        return new MethodVisitor(Opcodes.ASM9, visitor) {
                            @Override
                            public void visitCode() {
                                super.visitCode();
                                super.visitInsn(Opcodes.NOP);
                            }
                        };
                    }
                }, 0);
                return writer.toByteArray();
            }
        }, true);
    }

    /** Turns the change on and retransforms the JDK's internal Unsafe, once Emma's change is in place. */
    public static void retransformUnsafe() throws Exception {
        active = true;
        instrumentation.retransformClasses(Class.forName("jdk.internal.misc.Unsafe"));
    }
}
