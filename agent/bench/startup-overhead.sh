#!/usr/bin/env bash
# Start-up overhead of emma-agent.jar: median wall time of a hello world, repeated, with and
# without the agent. Usage: agent/bench/startup-overhead.sh [runs] (default 21), after
# ./mvnw -B -pl agent -am package. JAVA defaults to the JDK 25 of this project's machines.
set -euo pipefail
runs=${1:-21}
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
here=$(cd "$(dirname "$0")" && pwd)
agent=$here/../target/emma-agent.jar
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

median() { # runs the command $runs times, prints the median wall time in ms
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
base=$(median "$java" -cp "$work" Hello)
empty=$(median "$java" -javaagent:"$work/empty-agent.jar" -cp "$work" Hello)
emma=$(median "$java" -javaagent:"$agent" --enable-native-access=ALL-UNNAMED -cp "$work" Hello)
pass=$(median "$java" -javaagent:"$agent"=mode=passthrough -cp "$work" Hello)
off=$(median "$java" -javaagent:"$agent"=mode=off -cp "$work" Hello)
echo "hello world, median of $runs runs (ms): without agent $base; empty agent $empty (+$((empty - base))); mode=emma $emma (+$((emma - base))); mode=passthrough $pass (+$((pass - base))); mode=off $off (+$((off - base)))"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
