#!/usr/bin/env bash
# Time until Emma serves: a main whose first line allocates a direct buffer. For each run: ms
# from the launch (taken by this script just before exec) to the first line of main, and to the
# moment that first buffer is in hand; then whether Emma owns it (Emma.global().owns, looked up by
# reflection after the fact). Interleaved runs without agent and with emma-agent.jar (README flags);
# medians. Usage: agent/bench/time-to-emma.sh [runs] (default 15), after ./mvnw -B -pl agent -am package.
# Run it under scripts' bench-lock: it is a timing.
set -euo pipefail
runs=${1:-15}
. "$(dirname "$0")/common.sh"
cat > "$work/FirstBuffer.java" <<'JAVA'
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
public class FirstBuffer {
    public static void main(String[] args) throws Exception {
        long main = System.currentTimeMillis();
        ByteBuffer first = ByteBuffer.allocateDirect(4096);
        long served = System.currentTimeMillis();
        long launch = Long.parseLong(args[0]);
        String owner;
        try {
            Class<?> emma = Class.forName("dev.emma.Emma");
            Object global = emma.getMethod("global").invoke(null);
            owner = (Boolean) emma.getMethod("owns", long.class).invoke(global, MemorySegment.ofBuffer(first).address()) ? "emma" : "native";
        } catch (ClassNotFoundException e) {
            owner = "native";
        }
        System.out.println((main - launch) + " " + (served - launch) + " " + owner);
    }
}
JAVA
"$(dirname "$java")/javac" -d "$work" "$work/FirstBuffer.java"
names=(without emma)
flags=("" "-javaagent:$agent")
for name in "${names[@]}"; do : > "$work/$name.out"; done
for _ in $(seq "$runs"); do
  for i in "${!names[@]}"; do
    launch=$(( $(date +%s%N) / 1000000 ))
    # shellcheck disable=SC2086
    "$java" ${flags[$i]} --enable-native-access=ALL-UNNAMED -cp "$work" FirstBuffer "$launch" >> "$work/${names[$i]}.out" 2>/dev/null
  done
done
for name in "${names[@]}"; do
  echo "$name: main starts at $(cut -d' ' -f1 "$work/$name.out" | median) ms, first direct buffer in hand at" \
       "$(cut -d' ' -f2 "$work/$name.out" | median) ms (medians of $runs); first buffer's owner:" \
       "$(cut -d' ' -f3 "$work/$name.out" | sort | uniq -c | awk '{ printf "%s %s of '"$runs"'; ", $2, $1 }')"
done
