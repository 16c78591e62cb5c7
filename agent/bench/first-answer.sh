#!/usr/bin/env bash
# A server's time to its first answer, with and without emma-agent.jar: the Netty 4.2 HTTP hello
# world of benchmarks/ (NettyHello, awaitAgent=false: it serves as soon as it can, as a service
# does), started with the README's flags, polled with curl every 5 ms from the moment it is
# launched until it answers 200. Arms: none, passthrough, emma; interleaved rounds; medians in ms.
# Usage: agent/bench/first-answer.sh [rounds] (default 11), after ./mvnw -B -q -DskipTests package.
# Run it alone on the machine (scripts: bench-lock); about 3 s per run. JAVA defaults to this project's JDK 25.
set -euo pipefail
rounds=${1:-11}
. "$(dirname "$0")/common.sh"
jar=$(cd "$(dirname "$0")/../.." && pwd)/benchmarks/target/benchmarks.jar
names=(none passthrough emma)
flags=("" "-javaagent:$agent=mode=passthrough" "-javaagent:$agent")
declare -A times
# NettyHello serves until its stdin closes: a FIFO held open here (read-write, so nothing blocks)
mkfifo "$work/stdin"; exec 3<>"$work/stdin"
port=$((20000 + RANDOM % 20000))
for r in $(seq "$rounds"); do
  for i in "${!names[@]}"; do
    port=$((port + 1))
    start=$(date +%s%N)
    "$java" ${flags[$i]} --enable-native-access=ALL-UNNAMED -Xmx256m -cp "$jar" \
      dev.emma.bench.workload.NettyHello port=$port awaitAgent=false < "$work/stdin" > /dev/null 2>&1 &
    pid=$!
    until curl -s -o /dev/null -m 1 "http://127.0.0.1:$port/"; do
      sleep 0.005
      [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 30000 ] || { echo "no answer from ${names[$i]} in 30 s" >&2; exit 1; }
    done
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    times[${names[$i]}]+="$ms "
    kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  done
done
base=$(echo "${times[none]}" | tr ' ' '\n' | grep -v '^$' | median)
echo "time to first answer, Netty 4.2 HTTP hello world, median of $rounds interleaved rounds (ms):"
for n in "${names[@]}"; do
  m=$(echo "${times[$n]}" | tr ' ' '\n' | grep -v '^$' | median)
  printf '  %-12s %5d ms  (+%d ms over none)   runs: %s\n' "$n" "$m" $((m - base)) "${times[$n]}"
done
