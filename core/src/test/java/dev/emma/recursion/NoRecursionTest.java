package dev.emma.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.recursion.fixtures.CallsForbiddenAllocators;
import dev.emma.recursion.fixtures.CallsOnlyAllowedThings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * "Never recurse into what it replaces": no class of the core calls an allocator the agent
 * reroutes into Emma. The scanner is proven on fixtures that do and do not make such calls.
 */
class NoRecursionTest {

    @Test
    void noCoreClassCallsAnAllocatorEmmaReplaces() throws URISyntaxException {
        Path coreClasses = Path.of(Emma.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(coreClasses), "expected the core's class directory, got " + coreClasses);
        List<String> scanned = new ArrayList<>();
        List<String> violations = ForbiddenCallScanner.scanDirectory(coreClasses, scanned);
        assertTrue(scanned.contains(Path.of("dev", "emma", "Emma.class").toString()), "scanned " + scanned);
        assertTrue(scanned.size() >= 5, "too few core classes scanned: " + scanned);
        assertEquals(List.of(), violations, "core classes call allocators Emma replaces");
    }

    @Test
    void scannerReportsEveryForbiddenCallInTheFixture() throws IOException {
        List<String> violations = ForbiddenCallScanner.scan(classBytes(CallsForbiddenAllocators.class));
        List<String> missed = new ArrayList<>();
        for (Method m : CallsForbiddenAllocators.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()) {
                String where = CallsForbiddenAllocators.class.getName() + "." + m.getName() + ":";
                if (violations.stream().noneMatch(v -> v.startsWith(where))) {
                    missed.add(m.getName());
                }
            }
        }
        assertEquals(List.of(), missed, "the scanner missed these; it reported " + violations);
    }

    @Test
    void scannerReportsTheJdksInternalUnsafe() {
        // jdk.internal.misc.Unsafe is not exported, so this class is written with ASM.
        List<String> violations = ForbiddenCallScanner.scan(classCalling("jdk/internal/misc/Unsafe", "allocateMemory", "(J)J"));
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("jdk.internal.misc.Unsafe.allocateMemory"), violations.toString());
    }

    @Test
    void scannerAcceptsWhatTheCoreLegitimatelyDoes() throws IOException {
        assertEquals(List.of(), ForbiddenCallScanner.scan(classBytes(CallsOnlyAllowedThings.class)));
        assertEquals(List.of(), ForbiddenCallScanner.scan(classCalling("java/lang/foreign/MemorySegment", "ofAddress",
                "(J)Ljava/lang/foreign/MemorySegment;")));
    }

    private static byte[] classBytes(Class<?> type) throws IOException {
        String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    /** Bytes of a class (only scanned, never loaded) whose method {@code call()} invokes {@code owner.name(0L)}. */
    private static byte[] classCalling(String owner, String name, String descriptor) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V22, Opcodes.ACC_PUBLIC, "dev/emma/recursion/Generated", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "call", "()V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.LCONST_0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, name, descriptor, false);
        mv.visitInsn(Opcodes.POP2);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
