package dev.emma.agent.inject;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The boot modules' class files in the agent jar ({@code META-INF/emma-boot/<module>/...}), read one
 * at a time into one buffer that the class is defined from. Stored entries of the agent jar: no
 * inflater, and no copy of a module's classes on the heap (every byte read at start-up is heap an
 * idle JVM keeps resident). Not thread-safe: the injector's, during start-up.
 */
final class ClassFiles implements BootInjector.Source {

    private final JarFile jar;
    private final String folder;
    private byte[] buffer = new byte[16 * 1024]; // the biggest class fits; grown if one does not

    ClassFiles(JarFile jar, String folder) {
        this.jar = jar;
        this.folder = folder;
    }

    /**
     * The class names under each module's folder, in the jar's order, from its directory (no entry is
     * read): {@code "<module>/"} to binary names.
     */
    static Map<String, List<String>> names(JarFile jar) {
        Map<String, List<String>> byModule = new LinkedHashMap<>();
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            String entry = entries.nextElement().getName();
            if (!entry.startsWith(BootModule.DIRECTORY) || !entry.endsWith(".class")) {
                continue;
            }
            int moduleEnd = entry.indexOf('/', BootModule.DIRECTORY.length());
            if (moduleEnd < 0) {
                continue;
            }
            String module = entry.substring(BootModule.DIRECTORY.length(), moduleEnd + 1);
            List<String> names = byModule.get(module);
            if (names == null) {
                names = new ArrayList<>();
                byModule.put(module, names);
            }
            names.add(entry.substring(moduleEnd + 1, entry.length() - ".class".length()).replace('/', '.'));
        }
        return byModule;
    }

    @Override
    public int read(String className) throws IOException {
        String entryName = folder + className.replace('.', '/') + ".class";
        JarEntry entry = jar.getJarEntry(entryName);
        if (entry == null) {
            throw new IOException(entryName + " is missing from the agent jar");
        }
        long size = entry.getSize();
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new IOException(entryName + " has no usable size (" + size + ")");
        }
        if (size > buffer.length) {
            buffer = new byte[(int) size];
        }
        try (InputStream in = jar.getInputStream(entry)) {
            int length = in.readNBytes(buffer, 0, (int) size);
            if (length != size) {
                throw new IOException(entryName + ": " + length + " of " + size + " bytes read");
            }
            return length;
        }
    }

    @Override
    public byte[] buffer() {
        return buffer;
    }
}
