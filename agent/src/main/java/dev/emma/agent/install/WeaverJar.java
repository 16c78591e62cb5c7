package dev.emma.agent.install;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * The agent's relocated Byte Buddy (with its ASM), which the agent jar holds as one nested jar,
 * {@value #ENTRY}, so that the JVM's start-up scan of the agent jar's central directory stays short
 * (about 170 entries instead of 3,000-odd). It is needed only when a class must be rewritten rather
 * than swapped for its stored result ({@link Patches}): then it is copied to a temporary file
 * (deleted when the JVM exits) and appended to the system class loader's search path, where the
 * agent's own classes are: they link to it as if it had always been in the agent jar.
 *
 * <p>Invariant: {@link #open()} runs before the first class that names Byte Buddy
 * ({@link ClassRewriter} and what it uses) is loaded; a failed look-up before would stay failed.
 */
final class WeaverJar {

    static final String ENTRY = "META-INF/emma/weaver.jar";

    private final Instrumentation instrumentation; // null: Byte Buddy is on the class path unnested
    private final ClassLoader agentClasses;
    private boolean open; // guarded by this

    private WeaverJar(Instrumentation instrumentation, ClassLoader agentClasses) {
        this.instrumentation = instrumentation;
        this.agentClasses = agentClasses;
    }

    /** The agent's: from the agent jar, when it nests Byte Buddy (a classes directory does not). */
    static WeaverJar of(Instrumentation instrumentation, ClassLoader agentClasses) {
        return new WeaverJar(instrumentation, agentClasses);
    }

    /** Byte Buddy is on the class path already (the build, unit tests). */
    static WeaverJar onClassPath() {
        return new WeaverJar(null, null);
    }

    synchronized boolean isOpen() {
        return open;
    }

    /** Makes Byte Buddy loadable by the agent's classes, once. */
    synchronized void open() throws IOException {
        if (open) {
            return;
        }
        URL nested = instrumentation == null ? null : agentClasses.getResource(ENTRY);
        if (nested != null) {
            Path file = Files.createTempFile("emma-weaver-", ".jar");
            file.toFile().deleteOnExit(); // the class path reads it until then
            try (InputStream in = nested.openStream()) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            instrumentation.appendToSystemClassLoaderSearch(new JarFile(file.toFile()));
        }
        open = true;
    }
}
