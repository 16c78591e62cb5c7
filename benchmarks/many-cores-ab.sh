#!/bin/bash
# A short 16-core check of a change, side by side with an earlier build (about 5 minutes):
# passthrough batches at 16 threads (no agent / old agent / new agent), allocate+free pairs at 16
# threads (no agent, the core, passthrough and emma through the old and new agent), then the thread-churn,
# Larson and producer/consumer workloads at 16 threads with the old and new core (glibc and
# jemalloc once, for the ratio), then a race probe of the new core (10 churn runs, 3 in checks
# mode, 5 through the agent).
# Needs the bundle of ../shared/bench-bundle (pack.sh, new build) and, in $OLD (default
# .bench-bundle/old), the earlier build's emma-agent.jar and benchmarks.jar (a jar with only
# dev/emma/** is enough for the workloads: 0.5 MB). More builds to compare in the workloads:
# EXTRA="label=path/to/jar ...".
# Usage, from the project root:  OUT=/some/dir bash benchmarks/many-cores-ab.sh   (results: $OUT/ab.txt)
set -u
. .bench-bundle/common.sh
D=$B; O=${OLD:-.bench-bundle/old}
LOG=$OUT/ab.txt
{ nproc; date -u; } > "$LOG"
HEAP="-Xms256m -Xmx256m -XX:MaxDirectMemorySize=8g"
jb() { # label agent-jar-or-none size threads
  local a=$2 A=""; [ "$a" != none ] && A="-jvmArgsAppend -javaagent:$a=mode=passthrough"
  echo "batch passthrough $1 size=$3 t=$4 :: $($J $FLAGS -jar $D/benchmarks.jar 'BatchBenchmark.batch1$' -p size=$3 -p impl=unsafe -t $4 -f 1 -wi 2 -w 1 -i 3 -r 1 $A 2>&1 | grep '^BatchBenchmark' | tr -s ' ')" >> "$LOG"
}
for s in 4096 64; do
  jb none none $s 16; jb old $O/emma-agent.jar $s 16; jb new $D/emma-agent.jar $s 16
done
jp() { # label agent-jar-or-none mode impls
  local A=""; [ "$2" != none ] && A="-jvmArgsAppend -javaagent:$2=mode=$3"
  $J $FLAGS -jar $D/benchmarks.jar 'PairBenchmark.pair1$' -p size=64,4096 -p impl=$4 -t 16 -f 1 -wi 2 -w 1 -i 3 -r 1 $A 2>&1 \
    | grep '^PairBenchmark' | tr -s ' ' | sed "s/^/pair $1 t=16 :: /" >> "$LOG"
}
jp none none - unsafe,emma
for m in passthrough emma; do jp "$m old" $O/emma-agent.jar $m unsafe; jp "$m new" $D/emma-agent.jar $m unsafe; done
wl() { # label jar preload memory class args...
  local label=$1 jar=$2 pre=$3 mem=$4 cls=$5; shift 5
  echo "$cls $label $* :: $(env ${pre:+LD_PRELOAD=$pre} timeout 60 $J $FLAGS $HEAP -cp $jar dev.emma.bench.workload.$cls memory=$mem "$@" 2>&1 | grep '^RESULT')" >> "$LOG"
}
for r in 1 2; do
  for spec in "ThreadChurn wave=16" "Larson threads=16" "ProducerConsumer pairs=8" "ProducerConsumer pairs=1"; do
    set -- $spec; cls=$1; shift
    wl old $O/benchmarks.jar "" emma $cls "$@" seconds=3
    wl new $D/benchmarks.jar "" emma $cls "$@" seconds=3
    for x in ${EXTRA:-}; do wl "${x%%=*}" "${x#*=}" "" emma $cls "$@" seconds=3; done
    if [ $r = 1 ]; then
      wl glibc $D/benchmarks.jar "" unsafe $cls "$@" seconds=3
      wl jemalloc $D/benchmarks.jar "$JE" unsafe $cls "$@" seconds=3
    fi
  done
done
ok=0; bad=0
for i in $(seq 10); do C=""; [ $((i % 3)) = 0 ] && C=-Demma.checks=true
  timeout 60 $J $FLAGS $HEAP $C -cp $D/benchmarks.jar dev.emma.bench.workload.ThreadChurn memory=emma wave=16 seconds=1 >/dev/null 2>"$OUT/e$i.txt" && ok=$((ok+1)) || bad=$((bad+1))
done
for i in $(seq 5); do
  timeout 60 $J $FLAGS $HEAP $AG -cp $D/benchmarks.jar dev.emma.bench.workload.ThreadChurn memory=unsafe wave=16 seconds=1 >/dev/null 2>"$OUT/a$i.txt" && ok=$((ok+1)) || bad=$((bad+1))
done
echo "probe churn wave=16 (10 core, 3 of them in checks mode; 5 through the agent): ok=$ok failed=$bad" >> "$LOG"
date -u >> "$LOG"; cat "$LOG"
