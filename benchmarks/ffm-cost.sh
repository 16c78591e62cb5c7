#!/usr/bin/env bash
# What using FFM costs a JVM's resident memory before Emma allocates anything: FfmCost's stages
# (none, lookup, bind, emma) in interleaved runs, in a bare JVM and after 400 lambda classes were
# spun (as an application's start does), medians of VmHWM in MiB and the difference to "none";
# then, per stage, whether the JIT had compiled by then the JDK's class-file StackMapGenerator.processBlock
# (C1's arenas for that one method are most of FFM's cost in a bare JVM).
# Usage: benchmarks/ffm-cost.sh [runs] (default 5), after ./mvnw -B package -DskipTests.
# Run it alone on the machine: RSS moves by a few MiB with the JIT's timing.
set -euo pipefail
runs=${1:-5}
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
jar=$(cd "$(dirname "$0")" && pwd)/target/benchmarks.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
stages=(none lookup bind emma)
run() { # lambdas stage [JVM flag]
  "$java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m ${3:-} -cp "$jar" dev.emma.bench.workload.FfmCost stage="$2" lambdas="$1"
}
for lambdas in 0 400; do
  for _ in $(seq "$runs"); do
    for s in "${stages[@]}"; do
      run "$lambdas" "$s" | sed -n 's/.*hwmBytes=\([0-9]*\).*/\1/p' >> "$work/$lambdas-$s"
    done
  done
  base=$(median < "$work/$lambdas-none")
  line="lambdas=$lambdas: VmHWM median of $runs (MiB):"
  for s in "${stages[@]}"; do
    m=$(median < "$work/$lambdas-$s")
    line="$line $s $(awk -v m="$m" -v b="$base" 'BEGIN { printf "%.1f (%+.1f)", m / 1048576, (m - b) / 1048576 }')"
  done
  echo "$line"
  line="lambdas=$lambdas: StackMapGenerator.processBlock compiled by the JIT:"
  for s in "${stages[@]}"; do
    n=$(run "$lambdas" "$s" -XX:+PrintCompilation 2>/dev/null | sed '/^RESULT/q' | grep -c 'StackMapGenerator::processBlock' || true)
    line="$line $s $([ "$n" -gt 0 ] && echo yes || echo no)"
  done
  echo "$line"
done
