import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step (run by the agent's pom after the shade plugin): moves the relocated Byte Buddy out of
 * the agent jar's own entries into one nested jar, stored uncompressed. The JVM scans the agent
 * jar's central directory at start-up (the class path and the agent's own reads); with Byte Buddy's
 * 3,000-odd classes nested, that directory holds under 200 entries. The agent opens the nested jar
 * only when a stored patch does not fit the running JDK (dev.emma.agent.install.WeaverJar).
 *
 * <p>Also adds the files of a folder as stored entries (the boot modules' class files, which the
 * shade plugin would rename as classes of the agent's own).
 *
 * <p>Usage: {@code java NestWeaver.java <shaded jar> <agent jar> <package folder to nest> <nested entry> [<folder to add>]}.
 */
public final class NestWeaver {

    /**
     * Byte Buddy's multi-release classes (unused: neither jar is {@code Multi-Release}). Nested too:
     * a versioned entry in the agent jar makes the JDK spin a lambda class as it opens the jar, and
     * at start-up every class the JDK generates brings its class-file generator nearer to being
     * compiled (about 7 MiB of compiler memory).
     */
    private static final String VERSIONED = "META-INF/versions/";

    public static void main(String[] args) throws IOException {
        Path shaded = Path.of(args[0]);
        Path agent = Path.of(args[1]);
        String nestedFolder = args[2];
        String nestedEntry = args[3];
        ByteArrayOutputStream nestedBytes = new ByteArrayOutputStream();
        int nested = 0;
        int kept = 0;
        try (ZipFile in = new ZipFile(shaded.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(agent))) {
            try (ZipOutputStream inner = new ZipOutputStream(nestedBytes)) {
                for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                    ZipEntry entry = entries.nextElement();
                    boolean nest = entry.getName().startsWith(nestedFolder) || entry.getName().startsWith(VERSIONED);
                    copy(in, entry, nest ? inner : out, !nest);
                    if (nest) {
                        nested++;
                    } else {
                        kept++;
                    }
                }
            }
            if (nested == 0) {
                throw new IllegalStateException("nothing under " + nestedFolder + " in " + shaded);
            }
            byte[] jar = nestedBytes.toByteArray();
            ZipEntry stored = new ZipEntry(nestedEntry);
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(jar.length);
            stored.setCompressedSize(jar.length);
            CRC32 crc = new CRC32();
            crc.update(jar);
            stored.setCrc(crc.getValue());
            stored.setTime(0);
            out.putNextEntry(stored);
            out.write(jar);
            out.closeEntry();
            if (args.length > 4) {
                kept += addFolder(Path.of(args[4]), out);
            }
        }
        System.out.println("NestWeaver: " + nested + " entries nested in " + nestedEntry + ", " + (kept + 1) + " entries in " + agent.getFileName());
    }

    /**
     * Every file under {@code root}, stored, named by its path from {@code root}, in a fixed (sorted)
     * order; and for each folder {@code META-INF/emma-boot/<module>/}, the index
     * {@code META-INF/emma-boot/<module>.index}: its classes' binary names, one a line (the agent reads
     * that, not the jar's whole directory).
     */
    private static int addFolder(Path root, ZipOutputStream out) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("nothing to add under " + root);
        }
        Map<String, StringBuilder> indexes = new TreeMap<>();
        for (Path file : files) {
            String name = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
            addStored(out, name, Files.readAllBytes(file));
            if (name.startsWith(BOOT) && name.endsWith(".class")) {
                int moduleEnd = name.indexOf('/', BOOT.length());
                String className = name.substring(moduleEnd + 1, name.length() - ".class".length()).replace('/', '.');
                indexes.computeIfAbsent(name.substring(0, moduleEnd) + ".index", k -> new StringBuilder()).append(className).append('\n');
            }
        }
        for (Map.Entry<String, StringBuilder> index : indexes.entrySet()) {
            addStored(out, index.getKey(), index.getValue().toString().getBytes(StandardCharsets.UTF_8));
        }
        return files.size() + indexes.size();
    }

    private static final String BOOT = "META-INF/emma-boot/";

    private static void addStored(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        addStored(out, name, 0, bytes);
    }

    private static void addStored(ZipOutputStream out, String name, long time, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(time);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(bytes);
        out.closeEntry();
    }

    /**
     * Stored uncompressed, every entry the agent jar keeps: the JVM and the agent read them at
     * start-up (the agent's classes, the core's and the bridge's jars, the stored patches), and
     * reading a deflated entry costs an inflater and an input buffer of up to the entry's size of
     * Java heap besides the bytes read, garbage the JVM keeps resident (its young pages are
     * touched). The jar grows by a few hundred KiB on disk; the nested jars are compressed already.
     * Byte Buddy's classes stay compressed in their nested jar, read only when a patch does not fit.
     */
    private static void copy(ZipFile in, ZipEntry entry, ZipOutputStream out, boolean uncompressed) throws IOException {
        if (!uncompressed) {
            ZipEntry copy = new ZipEntry(entry.getName());
            copy.setTime(entry.getTime());
            out.putNextEntry(copy);
            if (!entry.isDirectory()) {
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
            }
            out.closeEntry();
            return;
        }
        try (InputStream data = in.getInputStream(entry)) {
            addStored(out, entry.getName(), entry.getTime(), data.readAllBytes());
        }
    }
}
