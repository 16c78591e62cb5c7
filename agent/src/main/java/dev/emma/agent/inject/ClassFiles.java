package dev.emma.agent.inject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
     * The binary names of a module's classes, from its index ({@code META-INF/emma-boot/<module>.index},
     * written by the build: one name a line), not from the jar's whole directory.
     */
    static List<String> names(JarFile jar, String module) throws IOException {
        String indexName = BootModule.DIRECTORY + module + ".index";
        JarEntry index = jar.getJarEntry(indexName);
        if (index == null) {
            throw new IOException(indexName + " is missing from the agent jar");
        }
        String text;
        try (InputStream in = jar.getInputStream(index)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> names = new ArrayList<>();
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            if (end > start) {
                names.add(text.substring(start, end));
            }
        }
        if (names.isEmpty()) {
            throw new IOException(indexName + " names no class");
        }
        return names;
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
