package dev.emma.bench.ab;

import dev.emma.bench.ab.AbOptions.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code java} of the service's command: found, and new enough for the agent (JDK 22+, FFM). */
final class ServiceJava {

    private static final Pattern SPEC = Pattern.compile("java\\.specification\\.version = (\\d+)");

    private ServiceJava() {
    }

    /** {@code java} as given, or the first {@code java} on PATH for a bare name. */
    static Path resolve(String java) throws UsageException {
        if (java.contains("/")) {
            Path path = Path.of(java);
            if (Files.isExecutable(path)) {
                return path;
            }
            throw new UsageException("the command's java does not exist or is not executable: " + java);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path path = Path.of(dir.isEmpty() ? "." : dir, java);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        throw new UsageException("no java on PATH: give the path of a JDK 22+ java in the command");
    }

    /** Refuses a JDK the agent cannot run on (it would fail open, and the agent arms would claim what they are not). */
    static void checkForAgent(Path java) throws UsageException, IOException, InterruptedException {
        Process process = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        Matcher m = SPEC.matcher(output);
        if (!m.find()) {
            throw new UsageException("cannot tell the version of " + java + " (java -XshowSettings:properties -version printed no java.specification.version)");
        }
        int feature = Integer.parseInt(m.group(1));
        if (feature < 22) {
            throw new UsageException(java + " is Java " + feature + "; Emma's agent needs 22 or newer: start the command with a JDK 22+ java"
                    + " (e.g. /usr/lib/jvm/<jdk>/bin/java), or run --arms none");
        }
    }
}
