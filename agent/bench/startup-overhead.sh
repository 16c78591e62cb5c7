#!/usr/bin/env bash
# Start-up overhead of emma-agent.jar: median wall time of a hello world, repeated, with and
# without the agent. Usage: agent/bench/startup-overhead.sh [runs] (default 21), after
# ./mvnw -B -pl agent -am package. JAVA defaults to the JDK 25 of this project's machines.
# "empty" is an agent that does nothing: what any -javaagent costs the JVM.
set -euo pipefail
runs=${1:-21}
. "$(dirname "$0")/common.sh"
cat > "$work/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] args) { System.out.println("hello"); } }
JAVA
"$(dirname "$java")/javac" -d "$work" "$work/Hello.java"
empty_agent

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
base=$(median < "$work/without.times")
line="hello world, median of $runs interleaved runs (ms): without agent $base"
for name in empty emma passthrough off; do
  m=$(median < "$work/$name.times")
  line="$line; $name $m (+$((m - base)))"
done
echo "$line"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
