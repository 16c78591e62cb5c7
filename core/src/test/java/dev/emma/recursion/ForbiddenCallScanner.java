package dev.emma.recursion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Finds, in class files, every call into an allocator Emma replaces: under the agent such a call
 * comes back into Emma (recursion) or bypasses it. Reported: {@code sun.misc.Unsafe} and
 * {@code jdk.internal.misc.Unsafe} allocate/reallocate/freeMemory; allocation from an {@code Arena}
 * or {@code SegmentAllocator} (creating an arena allocates nothing: EmmaArena uses a JDK arena
 * purely as the scope of its segments); {@code ByteBuffer.allocateDirect}; method
 * references to any of those; string constants naming libc's allocator functions or those methods
 * (reflective or FFM look-ups). {@code "free"} is also a word in messages, so it counts only when
 * the next call is an FFM or look-up call.
 */
final class ForbiddenCallScanner {

    private static final Set<String> UNSAFES = Set.of("sun/misc/Unsafe", "jdk/internal/misc/Unsafe");
    private static final Set<String> UNSAFE_METHODS = Set.of("allocateMemory", "reallocateMemory", "freeMemory");
    private static final Set<String> LIBC_ALLOCATOR = Set.of("malloc", "calloc", "realloc", "posix_memalign",
            "aligned_alloc", "memalign", "valloc", "pvalloc", "reallocarray");
    private static final Set<String> JAVA_ALLOCATOR_NAMES = Set.of("allocateMemory", "reallocateMemory", "freeMemory",
            "allocateDirect");
    private static final Pattern LOOKUP_LIKE = Pattern.compile("(?i).*(find|lookup|symbol|downcall).*");

    private ForbiddenCallScanner() {
    }

    /** Every forbidden call in the class files under {@code directory}, as "class.method: what". */
    static List<String> scanDirectory(Path directory, List<String> scannedClasses) {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                scannedClasses.add(directory.relativize(file).toString());
                violations.addAll(scan(Files.readAllBytes(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return violations;
    }

    static List<String> scan(byte[] classFile) {
        List<String> violations = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            String className;

            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                className = name;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodScanner(className.replace('/', '.') + "." + name, violations);
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return violations;
    }

    private static final class MethodScanner extends MethodVisitor {
        private final String where;
        private final List<String> violations;
        private boolean pendingFree;

        MethodScanner(String where, List<String> violations) {
            super(Opcodes.ASM9);
            this.where = where;
            this.violations = violations;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            String forbidden = forbiddenCall(owner, name);
            if (forbidden != null) {
                violations.add(where + ": calls " + forbidden);
            }
            if (pendingFree && (owner.startsWith("java/lang/foreign/") || LOOKUP_LIKE.matcher(name).matches())) {
                violations.add(where + ": looks up \"free\" (" + owner.replace('/', '.') + "." + name + ")");
            }
            pendingFree = false;
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            for (Object argument : arguments) {
                if (argument instanceof Handle h) {
                    String forbidden = forbiddenCall(h.getOwner(), h.getName());
                    if (forbidden != null) {
                        violations.add(where + ": refers to " + forbidden);
                    }
                }
            }
            pendingFree = false;
        }

        @Override
        public void visitLdcInsn(Object value) {
            if (value instanceof String s) {
                if (LIBC_ALLOCATOR.contains(s)) {
                    violations.add(where + ": names libc's \"" + s + "\"");
                } else if (JAVA_ALLOCATOR_NAMES.contains(s)) {
                    violations.add(where + ": names \"" + s + "\" (reflective call)");
                } else if (s.equals("free")) {
                    pendingFree = true;
                }
            } else if (value instanceof Handle h) {
                String forbidden = forbiddenCall(h.getOwner(), h.getName());
                if (forbidden != null) {
                    violations.add(where + ": refers to " + forbidden);
                }
            }
        }
    }

    private static String forbiddenCall(String owner, String name) {
        String call = owner.replace('/', '.') + "." + name;
        if (UNSAFES.contains(owner) && UNSAFE_METHODS.contains(name)) {
            return call;
        }
        if (owner.equals("java/lang/foreign/Arena") && name.startsWith("allocate")) {
            return call;
        }
        if (owner.equals("java/lang/foreign/SegmentAllocator") && name.startsWith("allocate")) {
            return call;
        }
        if (owner.equals("java/nio/ByteBuffer") && name.equals("allocateDirect")) {
            return call;
        }
        return null;
    }
}
