package dev.emma.agent.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The transformer at a later retransformation by another agent registered before Emma's: Emma gets
 * that agent's bytes. If it cannot weave into them, the class must keep Emma's change (on the JDK's
 * own bytes), never come back without it: Emma's blocks are out, and a free of one reaching libc
 * aborts the JVM (review r5: "free(): invalid pointer").
 */
class JdkTransformerTest {

    private static final String NAME = FakeUnsafe.class.getName().replace('.', '/');

    private static final List<Target> TARGETS = List.of( // Target has identity equality: one list for the whole test
            Target.advice(FakeUnsafe.class.getName(), "allocateMemory", "(J)J", AllocateMemoryAdvice.class),
            Target.advice(FakeUnsafe.class.getName(), "reallocateMemory", "(JJ)J", ReallocateMemoryAdvice.class),
            Target.advice(FakeUnsafe.class.getName(), "freeMemory", "(J)V", FreeMemoryAdvice.class));

    private static List<Target> targets() {
        return TARGETS;
    }

    /** The repro's case: applied from the stored result, and Byte Buddy cannot open (no writable java.io.tmpdir). */
    @Test
    void anotherAgentsLaterChangeThatCannotBeWovenGetsEmmasStoredResultAgain() throws Exception {
        byte[] original = classFile();
        byte[] woven = PatchBuilder.weave(original, targets());
        Weaving weaving = new Weaving(getClass().getClassLoader(),
                Patches.of(Map.of(FakeUnsafe.class.getName(), List.<byte[][]>of(new byte[][] {original, woven})), Map.of()),
                weaverThatCannotOpen());
        assertThrows(IOException.class, weaving::openWeaver, "the weaver must not open in this test");
        InstallResult result = new InstallResult(targets());
        JdkTransformer transformer = new JdkTransformer(Map.of(NAME, targets()), weaving, result);

        assertArrayEquals(woven, transformer.transform(null, null, NAME, FakeUnsafe.class, null, original.clone()));
        assertTrue(result.isApplied(targets().get(0)));

        byte[] otherAgents = withNopAtStartOfFreeMemory(original);
        assertArrayEquals(woven, transformer.transform(null, null, NAME, FakeUnsafe.class, null, otherAgents),
                "Emma's change again, the other agent's dropped: null would install the class without Emma's advice");
        assertTrue(result.isApplied(targets().get(2)));
        assertEquals(Map.of(), result.notApplied());
        // a later retransformation handing over the JDK's bytes again matches the stored result again
        assertArrayEquals(woven, transformer.transform(null, null, NAME, FakeUnsafe.class, null, original.clone()));
    }

    /** Applied by Byte Buddy (no stored result fits); the other agent's bytes lack a target method. */
    @Test
    void anotherAgentsLaterChangeThatLacksATargetGetsByteBuddysWeavingOfTheJdksOwnBytes() throws Exception {
        byte[] original = classFile();
        Weaving weaving = new Weaving(getClass().getClassLoader(), Patches.none());
        InstallResult result = new InstallResult(targets());
        JdkTransformer transformer = new JdkTransformer(Map.of(NAME, targets()), weaving, result);

        byte[] first = transformer.transform(null, null, NAME, FakeUnsafe.class, null, original.clone());
        assertNotNull(first);
        assertTrue(weaving.usedByteBuddy());

        byte[] again = transformer.transform(null, null, NAME, FakeUnsafe.class, null, withoutFreeMemory(original));
        assertArrayEquals(first, again, "Byte Buddy's weaving of the JDK's own class file, as at the first transformation");
        assertEquals(Map.of(), result.notApplied());
    }

    /** Not applied before (a class loading, or the first retransformation): the failure is recorded as before, nothing returned. */
    @Test
    void aFailureBeforeEmmasChangeWasAppliedIsRecorded() throws Exception {
        byte[] original = classFile();
        Weaving weaving = new Weaving(getClass().getClassLoader(), Patches.none(), weaverThatCannotOpen());
        InstallResult result = new InstallResult(targets());
        JdkTransformer transformer = new JdkTransformer(Map.of(NAME, targets()), weaving, result);
        assertNull(transformer.transform(null, null, NAME, FakeUnsafe.class, null, original));
        assertFalse(result.isApplied(targets().get(0)));
        String why = result.notApplied().get(targets().get(0));
        assertTrue(why != null && why.contains("weaver.jar"), String.valueOf(result.notApplied()));
    }

    /** A nested weaver jar whose copy fails, as when java.io.tmpdir is not writable. */
    private static WeaverJar weaverThatCannotOpen() {
        Instrumentation instrumentation = (Instrumentation) Proxy.newProxyInstance(JdkTransformerTest.class.getClassLoader(),
                new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        ClassLoader agentClasses = new ClassLoader(null) {
            @Override
            public URL getResource(String name) {
                try {
                    return WeaverJar.ENTRY.equals(name) ? new URL("file:/nonexistent/emma/weaver.jar") : null;
                } catch (java.net.MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return WeaverJar.of(instrumentation, agentClasses);
    }

    private static byte[] classFile() throws IOException {
        try (InputStream in = JdkTransformerTest.class.getClassLoader().getResourceAsStream(NAME + ".class")) {
            return in.readAllBytes();
        }
    }

    /** What a tracing agent might do: a NOP at the start of freeMemory. */
    private static byte[] withNopAtStartOfFreeMemory(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!name.equals("freeMemory")) {
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

    /** An agent that removed a target method: Byte Buddy cannot weave all of the class's targets. */
    private static byte[] withoutFreeMemory(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return name.equals("freeMemory") ? null : super.visitMethod(access, name, descriptor, signature, exceptions);
            }
        }, 0);
        return writer.toByteArray();
    }
}
