#!/usr/bin/env bash
# Idle footprint of emma-agent.jar: VmRSS of a JVM whose main sleeps, read from /proc/<pid>/status
# 4 s after start (from outside: reading it from inside would allocate a direct buffer and start
# Emma), without an agent, with an agent that does nothing, and with emma-agent.jar in each mode;
# interleaved runs, medians in MiB. Usage: agent/bench/idle-rss.sh [runs] (default 9),
# after ./mvnw -B -pl agent -am package. JAVA defaults to the JDK 25 of this project's machines.
# Run it alone on the machine (scripts: bench-lock); RSS varies by a few MiB from run to run
# (JIT compilations and when the heap's young pages were touched), hence the medians.
set -euo pipefail
runs=${1:-9}
. "$(dirname "$0")/common.sh"
cat > "$work/Idle.java" <<'JAVA'
public class Idle { public static void main(String[] args) throws Exception { Thread.sleep(60_000); } }
JAVA
"$(dirname "$java")/javac" -d "$work" "$work/Idle.java"
empty_agent

# The README's flags: with --enable-native-access=ALL-UNNAMED (and without it for emma, the default).
names=(none empty emma emma-default-flags passthrough off)
commands=(
  "$java -cp $work Idle"
  "$java -javaagent:$work/empty-agent.jar -cp $work Idle"
  "$java -javaagent:$agent --enable-native-access=ALL-UNNAMED -cp $work Idle"
  "$java -javaagent:$agent -cp $work Idle"
  "$java -javaagent:$agent=mode=passthrough -cp $work Idle"
  "$java -javaagent:$agent=mode=off -cp $work Idle"
)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in "${!names[@]}"; do : > "$work/${names[$i]}.rss"; done
for _ in $(seq "$runs"); do
  for i in "${!names[@]}"; do
    ${commands[$i]} > /dev/null 2>&1 &
    pid=$!
    sleep 4
    awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" >> "$work/${names[$i]}.rss"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
base=$(median < "$work/none.rss")
line="idle VmRSS, median of $runs interleaved runs (MiB): without agent $(awk -v k="$base" 'BEGIN { printf "%.1f", k / 1024 }')"
for name in empty emma emma-default-flags passthrough off; do
  m=$(median < "$work/$name.rss")
  line="$line; $name $(awk -v k="$m" -v b="$base" 'BEGIN { printf "%.1f (%+.1f)", k / 1024, (k - b) / 1024 }')"
done
echo "$line"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
