package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.EarlyCoreApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import dev.emma.it.support.TestEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The core exists once per process, in the bootstrap loader, in named modules, whatever the class path holds. */
class BootstrapIT {

    /** No class loader searches META-INF/emma-boot: the system class loader cannot load a second copy from the agent jar. */
    @Test
    void theAgentJarHoldsTheCoreAndTheBridgeOnlyWhereNoClassLoaderLooks() throws Exception {
        List<String> outside = new ArrayList<>();
        List<String> boot = new ArrayList<>();
        try (JarFile jar = new JarFile(TestEnvironment.agentJar().toFile())) {
            for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.startsWith("dev/emma/") && name.endsWith(".class") && !name.startsWith("dev/emma/agent/")) {
                    outside.add(name);
                }
                if (name.startsWith("META-INF/emma-boot/") && name.endsWith(".class")) {
                    boot.add(name.substring("META-INF/emma-boot/".length(), name.indexOf('/', "META-INF/emma-boot/".length())));
                    assertEquals(ZipEntry.STORED, entry.getMethod(), name + " is read straight into the buffer it is defined from");
                }
            }
        }
        assertEquals(List.of(), outside);
        assertEquals(List.of("dev.emma.bridge", "dev.emma.core"), boot.stream().distinct().sorted().toList());
    }

    @Test
    void anApplicationThatNamesTheCoreFirstAndCarriesItGetsTheOneBootstrapCopy() throws Exception {
        ChildResult result = ChildJvm.of(EarlyCoreApp.class).classPath(coreOnTheClassPath())
                .withAgent(null).jvm("--enable-native-access=ALL-UNNAMED").run().assertExit(0);
        assertEquals(List.of("loader: null", "module: dev.emma.core", "same class from the system loader: true",
                "first direct buffer is Emma's: true", "one global instance: true"), result.stdoutLines(), result::describe);
        assertEquals("", result.stderr(), result::describe);
    }

    private static Path coreOnTheClassPath() {
        Path classes = Path.of(dev.emma.Emma.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        assertTrue(classes.toFile().exists(), classes.toString());
        return classes;
    }
}
