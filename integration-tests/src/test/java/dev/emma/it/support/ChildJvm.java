package dev.emma.it.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JVM forked for one test: by default the toolchain's {@code java} (the one running the tests,
 * found from {@code java.home}), the test classes as class path, and nothing of the agent unless
 * asked for. The core is deliberately not on the class path: applications see the agent's copy.
 */
public final class ChildJvm {

    private static final long TIMEOUT_SECONDS = 120;

    private String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<String> jvmArguments = new ArrayList<>();
    private final List<String> classPath = new ArrayList<>(List.of(TestEnvironment.appClasses().toString()));
    private final Map<String, String> environment = new HashMap<>();
    private String mainClass;
    private final List<String> arguments = new ArrayList<>();

    public static ChildJvm of(Class<?> mainClass, String... arguments) {
        ChildJvm jvm = new ChildJvm();
        jvm.mainClass = mainClass.getName();
        jvm.arguments.addAll(List.of(arguments));
        return jvm;
    }

    public static ChildJvm ofMainClassName(String mainClass, String... arguments) {
        ChildJvm jvm = new ChildJvm();
        jvm.mainClass = mainClass;
        jvm.arguments.addAll(List.of(arguments));
        return jvm;
    }

    /** {@code -javaagent:emma-agent.jar[=options]}. */
    public ChildJvm withAgent(String options) {
        String agent = "-javaagent:" + TestEnvironment.agentJar();
        return jvm(options == null || options.isEmpty() ? agent : agent + "=" + options);
    }

    public ChildJvm jvm(String... options) {
        jvmArguments.addAll(List.of(options));
        return this;
    }

    public ChildJvm javaExecutable(String executable) {
        java = executable;
        return this;
    }

    public ChildJvm classPath(Path entry) {
        classPath.add(entry.toString());
        return this;
    }

    /** Replaces the class path (e.g. classes compiled for an old JDK). */
    public ChildJvm onlyClassPath(Path entry) {
        classPath.clear();
        classPath.add(entry.toString());
        return this;
    }

    public ChildJvm env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public ChildResult run() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmArguments);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(mainClass);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("EMMA_") || name.startsWith("JAVA_TOOL_OPTIONS")
                || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = read(process.getInputStream());
        CompletableFuture<String> stderr = read(process.getErrorStream());
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM timed out after " + TIMEOUT_SECONDS + " s: " + command
                    + "\nstdout:\n" + stdout.getNow("") + "\nstderr:\n" + stderr.getNow(""));
        }
        return new ChildResult(command, process.exitValue(), stdout.join(), stderr.join());
    }

    private static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<unreadable: " + e + ">";
            }
        });
    }

    /** A scratch directory for one test's files. */
    public static Path scratch(String name) throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(base, "emma-it-" + name);
    }
}
