package dev.emma.it.support;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** What a child JVM did: its exit code and both output streams, whole. */
public record ChildResult(List<String> command, int exitCode, String stdout, String stderr) {

    /**
     * The JDK's own warning about a restricted method (FFM) called without native access enabled,
     * by the Emma core's module (never by the application's unnamed modules): the only stderr
     * output allowed from the agent's default configuration.
     */
    private static final Pattern NATIVE_ACCESS_WARNING = Pattern.compile(
            "WARNING: (A restricted method in java\\.lang\\.foreign\\.\\w+ has been called"
                    + "|java\\.lang\\.foreign\\.\\w+::\\w+ has been called by dev\\.emma\\.[\\w.$]+ in module dev\\.emma\\.core \\(.*emma-agent\\.jar\\)"
                    + "|Use --enable-native-access=dev\\.emma\\.core to avoid a warning for callers in this module"
                    + "|Restricted methods will be blocked in a future release unless native access is enabled)");

    public List<String> stdoutLines() {
        return lines(stdout);
    }

    public List<String> stderrLines() {
        return lines(stderr);
    }

    /** stderr without the JDK's native-access warning lines. */
    public List<String> stderrBesidesNativeAccessWarning() {
        return stderrLines().stream().filter(line -> !NATIVE_ACCESS_WARNING.matcher(line).matches()).toList();
    }

    public ChildResult assertExit(int expected) {
        if (exitCode != expected) {
            throw new AssertionError("exit code " + exitCode + ", expected " + expected + "\n" + describe());
        }
        return this;
    }

    public String describe() {
        return "command: " + String.join(" ", command) + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R"));
    }
}
