package dev.emma.agent.install;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What {@link PatchBuilder} wove at build time, on the build's JDK, read from the agent jar when a
 * target class is transformed. Two kinds, per JDK class:
 * <ul>
 *   <li>{@code <class>.exact}: the length and {@link ClassFileShape#digest} of each class file the
 *       JVM hands to the agent (when the class loads, or reconstituted for a retransformation), and
 *       {@code <class>.woven<i>}: the class file the agent makes of the i-th. When the running JDK
 *       hands over the same bytes (but for the order of the methods), the agent returns the stored
 *       result: no code is parsed. A digest, not the class file, and the result read into the very
 *       array handed back: the bytes read at start-up are the results, once.</li>
 *   <li>{@code <class>.patch}: a {@link Patch}, the advised methods woven, for a JDK whose class
 *       differs but whose advised methods are the same code.</li>
 * </ul>
 * Anything else, and Byte Buddy weaves at start-up.
 *
 * <p>Read lazily, class by class, when the JVM hands that class over: the targets changed when they
 * load (the Linker, {@code ManagementFactory}, {@code sun.misc.Unsafe}) hold half the stored bytes,
 * and an idle JVM never loads them. Every byte read at start-up is Java heap the JVM keeps resident.
 */
public final class Patches {

    static final String DIRECTORY = "META-INF/emma-patches/";
    /** Suffix of a class's list of the JDK classes its retransformation loaded on the build's JDK. */
    static final String LOADS = ".loads";

    /** Where the stored entries are read from. */
    interface Store {
        /** The entry's bytes, or null when there is none. */
        byte[] read(String entryName) throws IOException;
    }

    private final Store store; // null: no patches
    private final Set<String> readExact = new HashSet<>(); // classes whose .exact entry was read; guarded by this
    private final Map<String, Stored> exact = new HashMap<>(); // the index of each class read; guarded by this
    private final Map<String, byte[]> methods = new HashMap<>(); // class name -> .patch bytes (or null), once read; guarded by this

    private Patches(Store store) {
        this.store = store;
    }

    public static Patches none() {
        return new Patches(null);
    }

    /** For tests: exact pairs and method patches by class name. */
    static Patches of(Map<String, List<byte[][]>> exact, Map<String, byte[]> methods) {
        Map<String, byte[]> entries = new HashMap<>();
        exact.forEach((name, pairs) -> entries.putAll(entries(name, pairs)));
        methods.forEach((name, patch) -> entries.put(DIRECTORY + name + ".patch", patch));
        return new Patches(entries::get);
    }

    /** For tests: entries read from {@code store}. */
    static Patches of(Store store) {
        return new Patches(store);
    }

    /**
     * The patches stored in the agent jar, read when used. The jar is opened on the first read and
     * stays open: the system class loader holds the same file open, so the JDK shares its directory.
     */
    public static Patches in(String agentJar) {
        return new Patches(new JarStore(agentJar));
    }

    /**
     * The stored result for exactly these bytes of this class, or null. A class's index (a length and
     * a digest per pair, a few ints) stays once read, so a later retransformation handing over the
     * same bytes matches again; the result itself is read from the store at each match, never kept.
     * A missing or unreadable entry means no stored result.
     */
    synchronized byte[] wovenFor(String className, byte[] received) {
        Stored stored = exact.get(className);
        if (stored == null && readExact.add(className)) {
            stored = read(className);
            if (stored != null) {
                exact.put(className, stored);
            }
        }
        return stored == null ? null : stored.wovenFor(received, store);
    }

    /**
     * The stored result this class last matched ({@link #wovenFor}), read again from the store; null
     * when it never matched. What the agent installed before, for when it must undo another agent's
     * later change to the class (see {@link JdkTransformer}).
     */
    synchronized byte[] wovenBefore(String className) {
        Stored stored = exact.get(className);
        return stored == null ? null : stored.wovenBefore(store);
    }

    private Stored read(String className) {
        try {
            byte[] encoded = store == null ? null : store.read(DIRECTORY + className + ".exact");
            return encoded == null ? null : new Stored(className, decode(encoded));
        } catch (IOException e) {
            return null; // Byte Buddy weaves instead
        }
    }

    /** The method patch of a class, or null. */
    synchronized Patch methodPatch(String className) {
        if (!methods.containsKey(className)) {
            byte[] classFile;
            try {
                classFile = store == null ? null : store.read(DIRECTORY + className + ".patch");
            } catch (IOException e) {
                classFile = null;
            }
            methods.put(className, classFile);
        }
        byte[] classFile = methods.get(className);
        return classFile == null ? null : new Patch(classFile);
    }

    /**
     * The JDK classes that retransforming this class loaded when the build ran it (the verifier checks
     * the whole redefined class: {@code DirectByteBuffer}'s loads some 29 {@code java.nio} buffer
     * classes), if the build ran on this very JDK ({@code jdkVersion}); else none.
     */
    List<String> loadsOf(String className, String jdkVersion) {
        byte[] encoded;
        try {
            encoded = store == null ? null : store.read(DIRECTORY + className + LOADS);
        } catch (IOException e) {
            encoded = null;
        }
        if (encoded == null) {
            return List.of();
        }
        List<String> lines = List.of(new String(encoded, StandardCharsets.ISO_8859_1).split("\n"));
        return lines.getFirst().equals(jdkVersion) ? lines.subList(1, lines.size()) : List.of();
    }

    /**
     * This JDK's full version, e.g. {@code 25.0.3+9-LTS}: the property, not {@code Runtime.version().toString()},
     * which spins lambdas (a stream), and a few more generated classes at start-up get the JDK's
     * class-file generator JIT-compiled, with 7 MiB of compiler memory (see agent/README.md).
     */
    static String jdkVersion() {
        return System.getProperty("java.runtime.version");
    }

    /** The JDK's version on the first line, then one binary class name per line. */
    static byte[] encodeLoads(String jdkVersion, List<String> classNames) {
        return (jdkVersion + "\n" + String.join("\n", classNames)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One class's pairs: {received length, digest high, digest low} each; the results are read when one fits. */
    private static final class Stored {
        private final String className;
        private final List<int[]> pairs;
        private int matched = -1; // the pair last used, -1: none; guarded by the Patches

        Stored(String className, List<int[]> pairs) {
            this.className = className;
            this.pairs = pairs;
        }

        byte[] wovenBefore(Store store) {
            return matched < 0 ? null : woven(matched, store);
        }

        private byte[] woven(int i, Store store) {
            try {
                return store.read(DIRECTORY + className + ".woven" + i);
            } catch (IOException e) {
                return null; // Byte Buddy weaves instead
            }
        }

        byte[] wovenFor(byte[] received, Store store) {
            long digest = 0;
            for (int i = 0; i < pairs.size(); i++) {
                int[] pair = pairs.get(i);
                if (pair[0] != received.length) {
                    continue;
                }
                if (digest == 0) {
                    digest = ClassFileShape.digest(received);
                }
                if (digest == ((long) pair[1] << 32 | (pair[2] & 0xffffffffL))) {
                    byte[] woven = woven(i, store);
                    if (woven != null) {
                        matched = i;
                    }
                    return woven;
                }
            }
            return null;
        }
    }

    /** The agent jar, opened on the first read. A {@code ZipFile}: a {@code JarFile} would parse the manifest again. */
    private static final class JarStore implements Store {
        private final String path;
        private ZipFile jar; // guarded by the Patches

        JarStore(String path) {
            this.path = path;
        }

        @Override
        public byte[] read(String entryName) throws IOException {
            if (jar == null) {
                jar = new ZipFile(path);
            }
            ZipEntry entry = jar.getEntry(entryName);
            if (entry == null) {
                return null;
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return readFully(in, entry.getSize());
            }
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

    /** The entries of one class's pairs of {class file received, class file woven}: the index, then each result. */
    static Map<String, byte[]> entries(String className, List<byte[][]> pairs) {
        Map<String, byte[]> entries = new HashMap<>();
        entries.put(DIRECTORY + className + ".exact", encode(pairs));
        for (int i = 0; i < pairs.size(); i++) {
            entries.put(DIRECTORY + className + ".woven" + i, pairs.get(i)[1]);
        }
        return entries;
    }

    /** The index of pairs of {class file received, class file woven}: the received one's length and digest, per pair. */
    static byte[] encode(List<byte[][]> pairs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(pairs.size());
            for (byte[][] pair : pairs) {
                out.writeInt(pair[0].length);
                out.writeLong(ClassFileShape.digest(pair[0]));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
        return bytes.toByteArray();
    }

    /**
     * The inverse of {@link #encode}, by hand ({@code DataInputStream} would set up var handles at
     * start-up): {received length, digest high, digest low} per pair.
     */
    static List<int[]> decode(byte[] encoded) throws IOException {
        int[] at = {0};
        int count = readInt(encoded, at);
        if (count < 0 || count > encoded.length / 12) {
            throw new IOException("corrupt patch");
        }
        List<int[]> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pairs.add(new int[] {readInt(encoded, at), readInt(encoded, at), readInt(encoded, at)});
        }
        return pairs;
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
