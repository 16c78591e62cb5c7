#!/bin/bash
# Thread scaling on a many-core machine without a JDK, in one run of about 7 minutes on 16 cores:
#   1. the refill-race probe: the core's thread churn at 16 threads, 30 short runs (10 in checks
#      mode) and 10 through the agent, every failure's stderr kept;
#   2. JMH allocate+free pairs (64 B, 4 KiB) at 1/8/16 threads: no agent (glibc), jemalloc,
#      mimalloc, Emma through the agent (mode=emma), the control arm (mode=passthrough), the core
#      called directly; batches (allocate 64, free 64) for no agent, both agent modes and the core;
#      JMH producer/consumer (one pair) for the same allocators;
#   3. Larson, producer/consumer (8 pairs) and thread churn at 16 threads, peak RSS included,
#      2 rounds.
# Needs the bundle of ../shared/bench-bundle (pack.sh writes .bench-bundle/ in the checkout).
# Usage, from the project root:  OUT=/some/dir bash benchmarks/many-cores.sh   (DRY=1: a tiny try)
# A shorter check of some parts: PARTS="probe pairs batches handoff workloads" (the default: all),
# THREADS="1 8 16" (JMH thread counts), N (probe runs), ROUNDS (workload rounds) may be set.
# Results: $OUT/results.txt (workloads, probe) and $OUT/jmh.csv; their tables for docs/benchmarks.md:
#   java -cp benchmarks/target/benchmarks.jar dev.emma.bench.report.ManyCoresReport $OUT
set -u
. .bench-bundle/common.sh
D=$B
LOG=$OUT/results.txt; FAILS=$OUT/failures.txt; : > "$FAILS"
if [ "${DRY:-0}" = 1 ]; then THREADS="1 2"; W="-wi 1 -w 200ms -i 1 -r 200ms"; SEC=1; WT=2; ROUNDS=1; N=2
else THREADS=${THREADS:-"1 8 16"}; W="-wi 2 -w 500ms -i 3 -r 500ms"; SEC=3; WT=16; ROUNDS=${ROUNDS:-2}; N=${N:-30}; fi
PARTS=${PARTS:-"probe pairs batches handoff workloads"}
part() { case " $PARTS " in *" $1 "*) return 0;; *) return 1;; esac; }
{ echo "== machine"; nproc; uname -r; grep -m1 "model name" /proc/cpuinfo; $J -version 2>&1 | head -1; date -u; } > "$LOG"
HEAP="-Xms256m -Xmx256m -XX:MaxDirectMemorySize=8g"
WL="-cp $D/benchmarks.jar dev.emma.bench.workload"

rep() { # label runs java-args...: counts failures, keeps their stderr
  local label=$1 runs=$2; shift 2; local ok=0 bad=0 rc
  for i in $(seq "$runs"); do
    timeout 60 $J $FLAGS $HEAP "$@" > "$OUT/o.txt" 2> "$OUT/e.txt"; rc=$?
    if [ $rc = 0 ]; then ok=$((ok+1)); else bad=$((bad+1)); { echo "=== $label run $i rc=$rc"; head -c 3000 "$OUT/e.txt"; echo; } >> "$FAILS"; fi
  done
  echo "probe $label: ok=$ok failed=$bad" >> "$LOG"
}
echo "== probe" >> "$LOG"
if part probe; then
rep "churn core wave=$WT" $N $WL.ThreadChurn memory=emma wave=$WT seconds=1
rep "churn core checks wave=$WT" $((N/3)) -Demma.checks=true $WL.ThreadChurn memory=emma wave=$WT seconds=1
rep "churn agent wave=$WT" $((N/3)) $AG $WL.ThreadChurn memory=unsafe wave=$WT seconds=1
fi

jmh() { # label preload agent-args impls benchmark-args...
  local label=$1 pre=$2 agent=$3 impls=$4; shift 4
  local csv=$OUT/jmh-$label-$RANDOM.csv
  env ${pre:+LD_PRELOAD=$pre} $J $FLAGS -jar "$D/benchmarks.jar" "$@" -f 1 $W -p impl=$impls \
    ${agent:+-jvmArgsAppend "$agent"} -rf csv -rff "$csv" > "$OUT/jmh-last.log" 2>&1 \
    || { echo "FAILED jmh $label $*"; tail -5 "$OUT/jmh-last.log"; } >> "$LOG"
  sed 1d "$csv" 2>/dev/null | sed "s/^/$label,/" >> "$OUT/jmh.csv"; rm -f "$csv"
}
echo "config,benchmark,mode,threads,samples,score,error,unit,impl,size" > "$OUT/jmh.csv"
for t in $THREADS; do
  if part pairs; then
  jmh glibc "" "" unsafe,emma 'PairBenchmark.pair1$' -t $t -p size=64,4096
  jmh jemalloc "$JE" "" unsafe 'PairBenchmark.pair1$' -t $t -p size=64,4096
  jmh mimalloc "$MI" "" unsafe 'PairBenchmark.pair1$' -t $t -p size=64,4096
  jmh agent "" "$AG" unsafe 'PairBenchmark.pair1$' -t $t -p size=64,4096
  jmh passthrough "" "$AG=mode=passthrough" unsafe 'PairBenchmark.pair1$' -t $t -p size=64,4096
  fi
  part batches || continue
  jmh glibc "" "" unsafe,emma 'BatchBenchmark.batch1$' -t $t -p size=64,4096
  jmh agent "" "$AG" unsafe 'BatchBenchmark.batch1$' -t $t -p size=64,4096
  jmh passthrough "" "$AG=mode=passthrough" unsafe 'BatchBenchmark.batch1$' -t $t -p size=64,4096
done
if part handoff; then
jmh glibc "" "" unsafe,emma 'ProducerConsumerBenchmark' -p size=64,4096
jmh jemalloc "$JE" "" unsafe 'ProducerConsumerBenchmark' -p size=64,4096
jmh mimalloc "$MI" "" unsafe 'ProducerConsumerBenchmark' -p size=64,4096
jmh agent "" "$AG" unsafe 'ProducerConsumerBenchmark' -p size=64,4096
fi

wl() { # label preload agent memory class args...
  local label=$1 pre=$2 agent=$3 mem=$4 cls=$5; shift 5
  local r
  r=$(env ${pre:+LD_PRELOAD=$pre} timeout 60 $J $FLAGS $HEAP $agent \
      $WL.$cls memory=$mem "$@" 2>"$OUT/wl-last.err" | grep '^RESULT')
  echo "$cls $label $* :: ${r:-FAILED $(tail -2 "$OUT/wl-last.err" | tr '\n' ' ')}" >> "$LOG"
}
echo "== workloads" >> "$LOG"
part workloads || ROUNDS=0
for round in $(seq $ROUNDS); do
  for spec in "Larson threads=$WT seconds=$SEC" "ProducerConsumer pairs=$((WT/2)) seconds=$SEC" "ThreadChurn wave=$WT seconds=$SEC"; do
    set -- $spec; cls=$1; shift
    wl glibc "" "" unsafe $cls "$@"
    wl jemalloc "$JE" "" unsafe $cls "$@"
    wl mimalloc "$MI" "" unsafe $cls "$@"
    wl agent "" "$AG" unsafe $cls "$@"
    wl core "" "" emma $cls "$@"
  done
done
echo "== jmh" >> "$LOG"; cat "$OUT/jmh.csv" >> "$LOG"
date -u >> "$LOG"
