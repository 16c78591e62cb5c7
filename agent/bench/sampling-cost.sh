#!/usr/bin/env bash
# What allocation sampling costs on the agent's hottest path: JMH PairBenchmark.pair1 (one allocate
# and its free, impl=unsafe through the agent, 64 B and 4 KiB), interleaved: sites off, sites=20,
# sites=20, sites off; with BASE=<an older emma-agent.jar> also that agent first and last (the
# "before" row of agent/README.md's table). Prints ops/us and JMH's -prof gc bytes per operation.
# Usage: agent/bench/sampling-cost.sh, after ./mvnw -B -DskipTests package; run it under the
# benchmark lock. JAVA defaults to the JDK 25 of this project's machines.
set -euo pipefail
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
agent=$root/agent/target/emma-agent.jar
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() { # label jar options: the jar's path must contain "emma-agent" (the benchmark then waits until it is active)
  "$java" -jar "$root/benchmarks/target/benchmarks.jar" PairBenchmark.pair1 -p impl=unsafe -p size=64,4096 \
    -f 1 -wi 3 -i 5 -w 1 -r 1 -prof gc -jvmArgsPrepend "-javaagent:$2=$3" > "$out/run.txt" 2>&1
  grep -E '^PairBenchmark.pair1[ :]' "$out/run.txt" | sed "s/^/$1  /"
}
if [ -n "${BASE:-}" ]; then
  mkdir -p "$out/base" && cp "$BASE" "$out/base/emma-agent.jar"
  run "before     " "$out/base/emma-agent.jar" mode=emma
fi
run "sites off  " "$agent" mode=emma
run "sites=20   " "$agent" mode=emma,sites=20
run "sites=20   " "$agent" mode=emma,sites=20
run "sites off  " "$agent" mode=emma
if [ -n "${BASE:-}" ]; then
  run "before     " "$out/base/emma-agent.jar" mode=emma
fi
