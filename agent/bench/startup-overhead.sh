#!/usr/bin/env bash
# Start-up overhead of emma-agent.jar: median wall time of a hello world, repeated, with and
# without the agent. Usage: agent/bench/startup-overhead.sh [runs] (default 21), after
# ./mvnw -B -pl agent -am package. JAVA defaults to the JDK 25 of this project's machines.
# "empty" is an agent that does nothing: what any -javaagent costs the JVM.
set -euo pipefail
runs=${1:-21}
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
here=$(cd "$(dirname "$0")" && pwd)
agent=${AGENT:-$here/../target/emma-agent.jar} # AGENT: another build of the jar, e.g. for a before/after
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] args) { System.out.println("hello"); } }
JAVA
cat > "$work/EmptyAgent.java" <<'JAVA'
public class EmptyAgent { public static void premain(String args, java.lang.instrument.Instrumentation inst) { } }
JAVA
"$(dirname "$java")/javac" -d "$work" "$work/Hello.java" "$work/EmptyAgent.java"
# what any -javaagent costs the JVM (it disables CDS's archived module graph): an agent that does nothing
printf 'Premain-Class: EmptyAgent\nCan-Retransform-Classes: true\n' > "$work/manifest.txt"
"$(dirname "$java")/jar" cfm "$work/empty-agent.jar" "$work/manifest.txt" -C "$work" EmptyAgent.class

# The configurations run interleaved, round after round, so that a change of machine load
# during the measurement hits all of them alike.
names=(without empty emma passthrough off)
commands=(
  "$java -cp $work Hello"
  "$java -javaagent:$work/empty-agent.jar -cp $work Hello"
  "$java -javaagent:$agent --enable-native-access=ALL-UNNAMED -cp $work Hello"
  "$java -javaagent:$agent=mode=passthrough -cp $work Hello"
  "$java -javaagent:$agent=mode=off -cp $work Hello"
)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in "${!names[@]}"; do : > "$work/${names[$i]}.times"; done
for _ in $(seq "$runs"); do
  for i in "${!names[@]}"; do
    start=$(date +%s%N)
    ${commands[$i]} > /dev/null 2>&1
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 )) >> "$work/${names[$i]}.times"
  done
done
median() { sort -n "$work/$1.times" | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'; }
base=$(median without)
line="hello world, median of $runs interleaved runs (ms): without agent $base"
for name in empty emma passthrough off; do
  m=$(median "$name")
  line="$line; $name $m (+$((m - base)))"
done
echo "$line"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
