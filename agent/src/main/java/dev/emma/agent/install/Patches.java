package dev.emma.agent.install;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What {@link PatchBuilder} wove at build time, on the build's JDK, read from the agent jar at
 * start-up. Two kinds, per JDK class:
 * <ul>
 *   <li>{@code <class>.exact}: class files as the JVM hands them to the agent (when the class loads,
 *       or reconstituted for a retransformation), each with the class file the agent makes of it.
 *       When the running JDK hands over the very same bytes, the agent returns the stored result:
 *       no class file is parsed at all.</li>
 *   <li>{@code <class>.patch}: a {@link Patch}, the advised methods woven, for a JDK whose class
 *       differs but whose advised methods are the same code.</li>
 * </ul>
 * Anything else, and Byte Buddy weaves at start-up.
 */
public final class Patches {

    static final String DIRECTORY = "META-INF/emma-patches/";

    private final Map<String, List<byte[][]>> exact; // class name -> {received, woven} pairs; guarded by this
    private final Map<String, byte[]> methods;

    private Patches(Map<String, List<byte[][]>> exact, Map<String, byte[]> methods) {
        this.exact = exact;
        this.methods = methods;
    }

    public static Patches none() {
        return new Patches(new HashMap<>(), Map.of());
    }

    /** For tests: exact pairs and method patches by class name. */
    static Patches of(Map<String, List<byte[][]>> exact, Map<String, byte[]> methods) {
        return new Patches(new HashMap<>(exact), Map.copyOf(methods));
    }

    /** The patches of the targets' classes in the agent jar; missing ones are left out. */
    public static Patches read(JarFile agentJar, List<Target> targets) throws IOException {
        Map<String, List<byte[][]>> exact = new HashMap<>();
        Map<String, byte[]> methods = new HashMap<>();
        for (Target target : targets) {
            String name = target.className();
            if (exact.containsKey(name)) {
                continue;
            }
            byte[] pairs = read(agentJar, DIRECTORY + name + ".exact");
            exact.put(name, pairs == null ? List.of() : decode(pairs));
            byte[] patch = read(agentJar, DIRECTORY + name + ".patch");
            if (patch != null) {
                methods.put(name, patch);
            }
        }
        return new Patches(exact, methods);
    }

    private static byte[] read(JarFile jar, String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        if (entry == null) {
            return null;
        }
        try (InputStream in = jar.getInputStream(entry)) {
            return readFully(in, entry.getSize());
        }
    }

    /** Into one array of the entry's size when the jar says it: readAllBytes() grows 16 KiB buffers, heap garbage at start-up. */
    private static byte[] readFully(InputStream in, long size) throws IOException {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            return in.readAllBytes();
        }
        byte[] bytes = new byte[(int) size];
        int read = in.readNBytes(bytes, 0, bytes.length);
        return read == bytes.length ? bytes : Arrays.copyOf(bytes, read);
    }

    /**
     * The stored result for exactly these bytes of this class, or null. A class's stored pairs are
     * dropped once one is used: they are only needed once (a later retransformation by another
     * agent goes the slower way).
     */
    synchronized byte[] wovenFor(String className, byte[] received) {
        List<byte[][]> pairs = exact.get(className);
        if (pairs == null) {
            return null;
        }
        for (byte[][] pair : pairs) {
            if (ClassFileShape.sameButForMethodOrder(pair[0], received)) {
                exact.remove(className);
                return pair[1];
            }
        }
        return null;
    }

    /** The method patch of a class, or null. */
    Patch methodPatch(String className) {
        byte[] classFile = methods.get(className);
        return classFile == null ? null : new Patch(classFile);
    }

    static byte[] encode(List<byte[][]> pairs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(pairs.size());
            for (byte[][] pair : pairs) {
                for (byte[] classFile : pair) {
                    out.writeInt(classFile.length);
                    out.write(classFile);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
        return bytes.toByteArray();
    }

    /** The inverse of {@link #encode}, by hand: {@code DataInputStream} would set up var handles at start-up. */
    static List<byte[][]> decode(byte[] encoded) throws IOException {
        int[] at = {0};
        int count = readInt(encoded, at);
        List<byte[][]> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] received = readBytes(encoded, at);
            pairs.add(new byte[][] {received, readBytes(encoded, at)});
        }
        return pairs;
    }

    private static byte[] readBytes(byte[] encoded, int[] at) throws IOException {
        int length = readInt(encoded, at);
        if (length < 0 || length > encoded.length - at[0]) {
            throw new IOException("corrupt patch");
        }
        byte[] bytes = Arrays.copyOfRange(encoded, at[0], at[0] + length);
        at[0] += length;
        return bytes;
    }

    private static int readInt(byte[] encoded, int[] at) throws IOException {
        int i = at[0];
        if (i + 4 > encoded.length) {
            throw new IOException("corrupt patch");
        }
        at[0] = i + 4;
        return (encoded[i] & 0xff) << 24 | (encoded[i + 1] & 0xff) << 16 | (encoded[i + 2] & 0xff) << 8 | (encoded[i + 3] & 0xff);
    }
}
