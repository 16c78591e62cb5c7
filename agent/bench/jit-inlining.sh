#!/usr/bin/env bash
# Where C2 stops inlining on the agent path: JMH PairBenchmark.pair1 (64 B) through
# Unsafe.allocateMemory with emma-agent.jar, with -XX:+LogCompilation, then every inlining failure
# in the compilations of the benchmark and of the bridge's door into the core (EmmaBlocks).
# "inlining too deep" inside the FFM access chain (maxAlignMask, Unsafe.getLongUnaligned) is the
# slowdown the door's @DontInline removes; "don't inline by annotation" is the door itself.
# Usage: agent/bench/jit-inlining.sh [unsafe|emma] after ./mvnw -B -DskipTests package: unsafe
# (default) is the agent path, emma the core called directly (no agent). A build from before the
# door (commit 659d9a7) shows "inlining too deep" at NativeMemorySegmentImpl::maxAlignMask,
# ::unsafeGetBase and Unsafe::getLongUnaligned in Heap.allocate/markAllocated instead.
# JAVA defaults to the JDK 25 of this project's machines.
set -euo pipefail
impl=${1:-unsafe}
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
log=$(mktemp --suffix=.log)
trap 'rm -f "$log"' EXIT
agent=""
[ "$impl" = unsafe ] && agent="-javaagent:$root/agent/target/emma-agent.jar"
"$java" -jar "$root/benchmarks/target/benchmarks.jar" PairBenchmark.pair1 -p size=64 -p impl="$impl" -f 1 -wi 2 -w 1s -i 1 -r 1s \
  -jvmArgsAppend "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow $agent -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=$log" \
  | grep -E '^PairBenchmark' || true
"$java" "$here/InliningReport.java" "$log" 'PairBenchmark|EmmaBlocks (allocate|free)' 'inline'
