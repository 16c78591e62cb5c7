# Shared by the agent's bench scripts (sourced): the JDK, the agent jar, a scratch folder removed at
# exit, medians, and an agent that does nothing.
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java} # JAVA: another JDK 22+
agent=${AGENT:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../target/emma-agent.jar} # AGENT: another build, e.g. for a before/after
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The median of the numbers on standard input, one per line.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Writes $work/empty-agent.jar: an agent that does nothing, what any -javaagent costs the JVM (it
# disables CDS's archived module graph).
empty_agent() {
  mkdir -p "$work/empty"
  echo 'public class EmptyAgent { public static void premain(String args, java.lang.instrument.Instrumentation inst) { } }' \
    > "$work/empty/EmptyAgent.java"
  "$(dirname "$java")/javac" -d "$work/empty" "$work/empty/EmptyAgent.java"
  printf 'Premain-Class: EmptyAgent\nCan-Retransform-Classes: true\n' > "$work/empty/manifest.txt"
  "$(dirname "$java")/jar" cfm "$work/empty-agent.jar" "$work/empty/manifest.txt" -C "$work/empty" EmptyAgent.class
}
