package dev.emma.agent.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootInjectorTest {

    @Test
    void theCoreExportsOnlyItsApiTheBridgeEverythingAndEachModuleComesAfterWhatItReads() {
        List<String> names = BootModule.ALL.stream().map(BootModule::name).toList();
        assertEquals(List.of("dev.emma.core", "dev.emma.bridge"), names);
        BootModule core = BootModule.ALL.get(0);
        ModuleDescriptor descriptor = core.descriptor(Set.of("dev.emma", "dev.emma.options", "dev.emma.heap", "dev.emma.os"));
        assertEquals(Set.of("dev.emma", "dev.emma.options"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals("META-INF/emma-boot/dev.emma.core/", core.folder());
        BootModule bridge = BootModule.ALL.get(1);
        assertTrue(bridge.readBy().contains("java.base"));
        assertEquals(Set.of("dev.emma.bridge", "dev.emma.bridge.x"), bridge.exported(Set.of("dev.emma.bridge", "dev.emma.bridge.x")));
        for (int i = 0; i < BootModule.ALL.size(); i++) {
            assertTrue(names.subList(0, i).containsAll(BootModule.ALL.get(i).requires()), BootModule.ALL.get(i).name());
        }
    }

    @Test
    void aCoreWithoutItsApiPackageIsRefused() {
        assertThrows(IllegalStateException.class, () -> BootModule.ALL.get(0).descriptor(Set.of("dev.emma.heap")));
    }

    /** Like the JVM: a class whose supertype is not defined yet fails, naming it (in internal form). */
    @Test
    void classesAreDefinedAfterTheirSupertypesWithOneFailedTryPerSupertypeOutOfOrder() throws Exception {
        Map<String, String> supertypeOf = Map.of("a.C", "a.B", "a.B", "a.A", "a.D", "a.A");
        List<String> defined = new ArrayList<>();
        int[] failures = {0};
        BootInjector.Definer jvm = (name, bytes, length, domain) -> {
            assertEquals(name, new String(bytes, 0, length, StandardCharsets.US_ASCII), "defined from what was read for it");
            String supertype = supertypeOf.get(name);
            if (supertype != null && !defined.contains(supertype)) {
                failures[0]++;
                throw new NoClassDefFoundError(supertype.replace('.', '/'));
            }
            defined.add(name);
        };
        List<String> reads = new ArrayList<>();
        BootInjector.defineAll(jvm, new NamesAsClassFiles(reads), List.of("a.C", "a.D", "a.B", "a.A", "a.E"), null);
        assertEquals(List.of("a.A", "a.B", "a.C", "a.D", "a.E"), defined);
        assertEquals(2, failures[0], "a.C waited for a.B, which waited for a.A");
        assertEquals(List.of("a.C", "a.B", "a.A", "a.B", "a.C", "a.D", "a.E"), reads, "a class is read again after its supertype");
    }

    @Test
    void aClassWhoseSupertypeIsNowhereIsReported() {
        BootInjector.Definer jvm = (name, bytes, length, domain) -> {
            throw new NoClassDefFoundError("a/Missing");
        };
        assertThrows(IllegalStateException.class, () -> BootInjector.defineAll(jvm, new NamesAsClassFiles(new ArrayList<>()), List.of("a.C"), null));
    }

    /**
     * Every byte read at start-up is heap an idle JVM keeps resident: the classes are read one by one
     * into one buffer and defined from it, not copied (the whole modules were, about 220 KiB, before).
     */
    @Test
    void classFilesAreReadIntoOneBufferNotCopied(@TempDir Path dir) throws Exception {
        Path jarPath = dir.resolve("agent.jar");
        int classes = 64;
        int size = 8 * 1024;
        List<String> names = new ArrayList<>();
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jarPath))) {
            for (int i = 0; i < classes; i++) {
                String name = "p.C" + i;
                names.add(name);
                byte[] bytes = new byte[size];
                Arrays.fill(bytes, (byte) i);
                ZipEntry entry = new ZipEntry(BootModule.DIRECTORY + "m/p/C" + i + ".class");
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(size);
                entry.setCompressedSize(size);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                entry.setCrc(crc.getValue());
                out.putNextEntry(entry);
                out.write(bytes);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(BootModule.DIRECTORY + "m.index"));
            out.write((String.join("\n", names) + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            assertEquals(names, ClassFiles.names(jar, "m"));
            List<String> defined = new ArrayList<>();
            BootInjector.Definer jvm = (name, bytes, length, domain) -> {
                assertEquals(size, length);
                assertEquals((byte) Integer.parseInt(name.substring(3)), bytes[length - 1], name);
                defined.add(name);
            };
            BootInjector.defineAll(jvm, new ClassFiles(jar, BootModule.DIRECTORY + "m/"), names, null); // warm: classes loaded
            defined.clear();
            long before = threads.getCurrentThreadAllocatedBytes();
            BootInjector.defineAll(jvm, new ClassFiles(jar, BootModule.DIRECTORY + "m/"), names, null);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(names, defined);
            assertTrue(allocated < (long) classes * size / 4, allocated + " bytes allocated to define " + classes * size + " bytes of classes");
        }
    }

    /** Each "class file" is its name's bytes, read into one buffer as the jar's reader does. */
    private static final class NamesAsClassFiles implements BootInjector.Source {
        private final byte[] buffer = new byte[64];
        private final List<String> reads;

        NamesAsClassFiles(List<String> reads) {
            this.reads = reads;
        }

        @Override
        public int read(String className) {
            reads.add(className);
            byte[] name = className.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, buffer, 0, name.length);
            return name.length;
        }

        @Override
        public byte[] buffer() {
            return buffer;
        }
    }
}
