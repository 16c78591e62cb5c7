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
 * Another agent, loaded before Emma's, whose change to {@code DirectByteBuffer} the JVM refuses at a
 * retransformation (it adds a method, which retransformation forbids). The JVM then keeps none of
 * the batch's new bytes: Emma's changes to {@code Unsafe} in the same batch are undone too. Its
 * ASM comes from the application's Byte Buddy on the class path.
 */
public final class RetransformRefusingAgent {

    private RetransformRefusingAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        instrumentation.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] bytes) {
                if (redefined == null || !"java/nio/DirectByteBuffer".equals(name)) {
                    return null;
                }
                ClassReader reader = new ClassReader(bytes);
                ClassWriter writer = new ClassWriter(reader, 0);
                reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public void visitEnd() {
                        MethodVisitor added = super.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, "addedByAnotherAgent", "()V", null, null);
                        added.visitCode();
                        added.visitInsn(Opcodes.RETURN);
                        added.visitMaxs(0, 0);
                        added.visitEnd();
                        super.visitEnd();
                    }
                }, 0);
                return writer.toByteArray();
            }
        }, true);
    }
}
