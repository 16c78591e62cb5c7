package dev.emma.agent.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import org.junit.jupiter.api.Test;

/**
 * The install engine: Byte Buddy's weaving, the build-time patches that replace it at start-up and
 * when they may, and the all-or-nothing rule per class.
 */
class WeavingTest {

    private static List<Target> fakeUnsafeTargets(Class<?> type) {
        return List.of(
                Target.advice(type.getName(), "allocateMemory", "(J)J", AllocateMemoryAdvice.class),
                Target.advice(type.getName(), "reallocateMemory", "(JJ)J", ReallocateMemoryAdvice.class),
                Target.advice(type.getName(), "freeMemory", "(J)V", FreeMemoryAdvice.class));
    }

    private static Weaving byteBuddyOnly() {
        return new Weaving(WeavingTest.class.getClassLoader(), Patches.none());
    }

    @Test
    void byteBuddysWeavingPassesTheVerifierAndCallsTheBridge() throws Exception {
        byte[] original = classFile(FakeUnsafe.class);
        ClassRewriter.Rewritten woven = new ClassRewriter(byteBuddyOnly(), fakeUnsafeTargets(FakeUnsafe.class)).rewrite(original);
        assertEquals(List.of(), woven.missing());
        assertFalse(woven.patched());
        Class<?> loaded = new OneClassLoader(FakeUnsafe.class.getName(), woven.bytes()).loadClass(FakeUnsafe.class.getName());
        loaded.getConstructor().newInstance(); // links, so the verifier checked every frame of the woven methods
        String text = methods(woven.bytes()).get("allocateMemory(J)J").text();
        assertTrue(text.contains("dev/emma/bridge/Bridge") && text.contains("allocate"), text);
    }

    /** What the build ships for the JDK it ran on is exactly what Byte Buddy makes of that JDK now. */
    @Test
    void theShippedPatchesAreByteBuddysWeavingOfThisJdk() throws Exception {
        Map<String, List<Target>> advised = new HashMap<>();
        for (Target target : Targets.all(true)) {
            if (target.change() instanceof Target.Change.Advise) {
                advised.computeIfAbsent(target.className(), name -> new ArrayList<>()).add(target);
            }
        }
        assertTrue(advised.keySet().containsAll(List.of(Targets.UNSAFE, Targets.MANAGEMENT_FACTORY)), advised.toString());
        for (Map.Entry<String, List<Target>> entry : advised.entrySet()) {
            byte[] shipped = resource(Patches.DIRECTORY + entry.getKey() + ".patch");
            assertNotNull(shipped, "no patch shipped for " + entry.getKey());
            byte[] original = PatchBuilder.jdkClassFile(entry.getKey());
            ClassRewriter.Rewritten spliced = new ClassRewriter(new Weaving(getClass().getClassLoader(),
                    Patches.of(Map.of(), Map.of(entry.getKey(), shipped))), entry.getValue()).rewrite(original);
            assertTrue(spliced.patched(), entry.getKey() + " did not take the patch");
            byte[] woven = PatchBuilder.weave(original, entry.getValue());
            Map<String, MethodText.Rendered> expected = methods(woven);
            Map<String, MethodText.Rendered> actual = methods(spliced.bytes());
            for (Target target : entry.getValue()) {
                String key = target.methodName() + target.descriptor();
                assertEquals(expected.get(key).text(), actual.get(key).text(), target.describe());
                assertArrayEquals(expected.get(key).lines(), actual.get(key).lines(), target.describe());
            }
        }
    }

    @Test
    void aPatchIsNotUsedOnOtherCodeByteBuddyWeavesInstead() throws Exception {
        byte[] patch = PatchBuilder.methodPatch(classFile(FakeUnsafe.class), fakeUnsafeTargets(FakeUnsafe.class));
        List<Target> variantTargets = fakeUnsafeTargets(FakeUnsafeVariant.class);
        Weaving weaving = new Weaving(getClass().getClassLoader(), Patches.of(Map.of(), Map.of(FakeUnsafeVariant.class.getName(), patch)));
        ClassRewriter.Rewritten rewritten = new ClassRewriter(weaving, variantTargets).rewrite(classFile(FakeUnsafeVariant.class));
        assertFalse(rewritten.patched(), "the patch's allocateMemory is other code than the variant's");
        assertTrue(weaving.usedByteBuddy());
        String text = methods(rewritten.bytes()).get("allocateMemory(J)J").text();
        assertTrue(text.contains("Long:" + 0x3333_0000L), "the variant's own body is kept: " + text);
        // and the patch does fit the class it was made for, without Byte Buddy
        Weaving fitting = new Weaving(getClass().getClassLoader(), Patches.of(Map.of(), Map.of(FakeUnsafe.class.getName(), patch)));
        assertTrue(new ClassRewriter(fitting, fakeUnsafeTargets(FakeUnsafe.class)).rewrite(classFile(FakeUnsafe.class)).patched());
        assertFalse(fitting.usedByteBuddy());
    }

    @Test
    void anExactPatchIsTheStoredResultForTheSameBytesOnly() throws IOException {
        byte[] received = {1, 2, 3};
        byte[] woven = {4, 5};
        Patches patches = Patches.of(Map.of("a.B", List.<byte[][]>of(new byte[][] {received, woven})), Map.of());
        assertNull(patches.wovenBefore("a.B"), "nothing matched yet");
        assertNull(patches.wovenFor("a.B", new byte[] {1, 2, 4}));
        assertNull(patches.wovenFor("a.C", received));
        assertArrayEquals(woven, patches.wovenFor("a.B", received.clone()));
        // a later retransformation (another agent's) matches again, and what was used can be had again
        assertArrayEquals(woven, patches.wovenFor("a.B", received.clone()));
        assertArrayEquals(woven, patches.wovenBefore("a.B"));
        assertNull(patches.wovenBefore("a.C"));
    }

    /** An idle JVM never loads the Linker, ManagementFactory or sun.misc.Unsafe: their stored bytes stay in the jar. */
    @Test
    void storedPatchesAreReadOnlyForTheClassesHandedOverAndOnce() {
        byte[] received = {1, 2, 3};
        Map<String, byte[]> entries = new java.util.HashMap<>(Patches.entries("a.B", List.<byte[][]>of(new byte[][] {received, {4}})));
        entries.putAll(Patches.entries("a.C", List.<byte[][]>of(new byte[][] {{7}, {8}})));
        entries.put(Patches.DIRECTORY + "a.D.exact", new byte[] {0, 0, 0, 9, 1}); // corrupt: no stored result, no exception
        List<String> read = new ArrayList<>();
        Patches patches = Patches.of(name -> {
            read.add(name);
            return entries.get(name);
        });
        assertArrayEquals(new byte[] {4}, patches.wovenFor("a.B", received.clone()));
        assertNull(patches.wovenFor("a.B", new byte[] {1, 2, 4}));
        assertNull(patches.wovenFor("a.D", received));
        assertNull(patches.wovenFor("a.D", received));
        assertNull(patches.methodPatch("a.B"));
        assertNull(patches.methodPatch("a.B"));
        // the index is read once; a result is read at each use, never kept
        assertEquals(List.of(Patches.DIRECTORY + "a.B.exact", Patches.DIRECTORY + "a.B.woven0", Patches.DIRECTORY + "a.D.exact",
                Patches.DIRECTORY + "a.B.patch"), read);
    }

    /** The classes to load before the transformer: only the build's JDK's list, and none on another JDK. */
    @Test
    void whatARetransformationLoadsIsTheBuildsListOnItsJdkOnly() {
        Map<String, byte[]> entries = Map.of(Patches.DIRECTORY + "a.B" + Patches.LOADS,
                Patches.encodeLoads("25.0.3+9-LTS", List.of("java.nio.CharBuffer", "java.nio.DirectCharBufferU")));
        Patches patches = Patches.of(entries::get);
        assertEquals(List.of("java.nio.CharBuffer", "java.nio.DirectCharBufferU"), patches.loadsOf("a.B", "25.0.3+9-LTS"));
        assertEquals(List.of(), patches.loadsOf("a.B", "25.0.4+7-LTS"));
        assertEquals(List.of(), patches.loadsOf("a.C", "25.0.3+9-LTS"));
        assertEquals(List.of(), Patches.none().loadsOf("a.B", "25.0.3+9-LTS"));
    }

    /** The build found what the verifier loads when DirectByteBuffer is retransformed here (this test runs on the build's JDK). */
    @Test
    void theShippedListForDirectByteBufferHasItsViewBuffers() throws Exception {
        byte[] shipped = resource(Patches.DIRECTORY + Targets.DIRECT_BYTE_BUFFER + Patches.LOADS);
        assertNotNull(shipped, "no list of what retransforming " + Targets.DIRECT_BYTE_BUFFER + " loads");
        List<String> loads = Patches.of(Map.of(Patches.DIRECTORY + Targets.DIRECT_BYTE_BUFFER + Patches.LOADS, shipped)::get)
                .loadsOf(Targets.DIRECT_BYTE_BUFFER, Patches.jdkVersion());
        assertTrue(loads.contains("java.nio.DirectCharBufferU") && loads.contains("java.nio.ByteBufferAsDoubleBufferL"), loads::toString);
    }

    /** A JVM reconstitutes a class with its methods in an order that may change from run to run. */
    @Test
    void anExactPatchFitsTheSameClassFileWithItsMethodsInAnotherOrder() throws Exception {
        byte[] original = PatchBuilder.jdkClassFile(Targets.SEGMENT_FACTORIES);
        int[] extents = methodExtents(original); // starts of each method, then the end of the last
        byte[] reordered = original.clone();
        int first = extents[1] - extents[0];
        int second = extents[2] - extents[1];
        System.arraycopy(original, extents[1], reordered, extents[0], second);
        System.arraycopy(original, extents[0], reordered, extents[0] + second, first);
        assertFalse(java.util.Arrays.equals(original, reordered));
        assertEquals(ClassFileShape.digest(original), ClassFileShape.digest(reordered));
        byte[] changed = reordered.clone();
        changed[extents[0] + second + first / 2] ^= 1; // inside a method
        assertNotEquals(ClassFileShape.digest(original), ClassFileShape.digest(changed));
        byte[] outside = reordered.clone();
        outside[outside.length - 1] ^= 1; // a class attribute, after the methods
        assertNotEquals(ClassFileShape.digest(original), ClassFileShape.digest(outside));
        byte[] woven = {4, 5};
        Patches patches = Patches.of(Map.of("a.B", List.<byte[][]>of(new byte[][] {original, woven})), Map.of());
        assertNull(patches.wovenFor("a.B", changed));
        assertNull(patches.wovenFor("a.B", java.util.Arrays.copyOf(original, original.length - 1)));
        assertArrayEquals(woven, patches.wovenFor("a.B", reordered));
    }

    /** Method starts and the end of the methods table, found from ASM's own reading of the constant pool. */
    private static int[] methodExtents(byte[] classFile) {
        int at = new ClassReader(classFile).header + 6; // past access, this, super
        at += 2 + 2 * u2(classFile, at); // interfaces
        at = skipMembers(classFile, at + 2, u2(classFile, at)); // fields
        int count = u2(classFile, at);
        at += 2;
        int[] extents = new int[count + 1];
        for (int i = 0; i < count; i++) {
            extents[i] = at;
            at = skipMembers(classFile, at, 1);
        }
        extents[count] = at;
        return extents;
    }

    private static int skipMembers(byte[] classFile, int at, int count) {
        for (int i = 0; i < count; i++) {
            int attributes = u2(classFile, at + 6);
            at += 8;
            for (int j = 0; j < attributes; j++) {
                at += 6 + (u2(classFile, at + 2) << 16 | u2(classFile, at + 4));
            }
        }
        return at;
    }

    private static int u2(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 8 | (bytes[at + 1] & 0xff);
    }

    @Test
    void aClassIsChangedWhollyOrNotAtAll() throws Exception {
        byte[] original = PatchBuilder.jdkClassFile(Targets.DIRECT_BYTE_BUFFER);
        List<Target> swaps = new ArrayList<>();
        for (Target target : Targets.jdk(true)) {
            if (target.className().equals(Targets.DIRECT_BYTE_BUFFER)) {
                swaps.add(target);
            }
        }
        assertEquals(List.of(), new ClassRewriter(byteBuddyOnly(), swaps).rewrite(original).missing());
        Target missingCall = Target.swapCalls(Targets.DIRECT_BYTE_BUFFER, "<init>", "(I)V", List.of(
                Target.CallSwap.toStatic(Targets.UNSAFE, "allocateMemory", "(J)J", Object.class, "(Ljava/lang/Object;J)J"),
                Target.CallSwap.toStatic("java.nio.Bits", "noSuchCall", "()V", Object.class, "()V")));
        assertEquals(List.of("call to java.nio.Bits.noSuchCall()V"),
                new ClassRewriter(byteBuddyOnly(), List.of(missingCall)).rewrite(original).missing());
        Target missingMethod = Target.advice(Targets.UNSAFE, "allocateMemory", "(I)J", AllocateMemoryAdvice.class);
        assertEquals(List.of("jdk.internal.misc.Unsafe.allocateMemory(I)J"),
                new ClassRewriter(byteBuddyOnly(), List.of(missingMethod)).rewrite(PatchBuilder.jdkClassFile(Targets.UNSAFE)).missing());
    }

    @Test
    void everyRouteTargetOfThisJdkIsFoundAndOnlyUnsafeIsRequired() throws Exception {
        Map<String, List<Target>> byClass = new HashMap<>();
        for (Target target : Targets.all(true)) {
            byClass.computeIfAbsent(target.className(), name -> new ArrayList<>()).add(target);
            assertEquals(target.className().equals(Targets.UNSAFE), target.isRequired(), target.describe());
        }
        for (Map.Entry<String, List<Target>> entry : byClass.entrySet()) {
            ClassRewriter.Rewritten rewritten = new ClassRewriter(byteBuddyOnly(), entry.getValue())
                    .rewrite(PatchBuilder.jdkClassFile(entry.getKey()));
            assertEquals(List.of(), rewritten.missing(), entry.getKey());
            assertNotEquals(0, rewritten.bytes().length);
        }
    }

    private static Map<String, MethodText.Rendered> methods(byte[] classFile) {
        Map<String, MethodText.Rendered> methods = new HashMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(ClassRewriter.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodText(access, name, descriptor, signature, exceptions) {
                    @Override
                    public void visitEnd() {
                        methods.put(name + descriptor, rendered());
                    }
                };
            }
        }, 0);
        return methods;
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        return resource(type.getName().replace('.', '/') + ".class");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = WeavingTest.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** Defines one class from bytes, everything else from the test class path. */
    private static final class OneClassLoader extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        OneClassLoader(String name, byte[] bytes) {
            super(WeavingTest.class.getClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
            if (className.equals(name)) {
                synchronized (getClassLoadingLock(className)) {
                    Class<?> loaded = findLoadedClass(className);
                    return loaded != null ? loaded : defineClass(className, bytes, 0, bytes.length);
                }
            }
            return super.loadClass(className, resolve);
        }
    }
}
