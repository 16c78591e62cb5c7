#!/usr/bin/env python3
"""Where the A/B demo's RSS after idle lives, per mapping kind (issue 8, passthrough after idle).

Runs dev.emma.bench.workload.DirectBufferDemo as scripts/ab-demo does (same JVM flags), with a
longer idle phase, and 5 s after its "PHASE idle" line (the point where the demo reads VmRSS)
reads /proc/<pid>/smaps from outside and sorts the resident bytes by kind: Java heap, CDS,
file-backed, glibc's main heap, glibc's arena heaps (found by reading each 64 MiB-aligned
mapping's heap_info header from /proc/<pid>/mem, grouped by arena), code cache (rwx), and the
rest. Then, optionally, jcmd System.native_heap_info (glibc malloc_info per arena).

Usage: demo-idle-map.py ARM [options]   (ARM: none | passthrough | emma | off)
  --agent JAR  --jar JAR  --java JAVA  --env K=V (repeatable)  --jvm=OPT (repeatable; an empty
  agent: ARM none --label empty --jvm=-javaagent:empty-agent.jar)  --out DIR  --malloc-info
  --at SECONDS (5)  --idle SECONDS (the workload's idle phase, 8)
  --chunks: for arenas over 8 MiB resident, walk each heap's chunks (from /proc/<pid>/mem) and
    write per heap its highest in-use chunk, which thread's tcache holds it and which threads use
    the arena (gdb with glibc's debug symbols, libc6-dbg: tcache and thread_arena per thread);
  --perf: record malloc returns with call stacks from "PHASE spike" on, for demo-idle-pins.py
    (needs: perf probe -x /lib/x86_64-linux-gnu/libc.so.6 --add 'malloc_ret=malloc%return $retval',
    the same for calloc_ret and realloc_ret; remove them afterwards: perf probe -d 'probe_libc:*').
Prints one line: arm, VmRSS and MiB per kind. Run it under bench-lock.

Why (2026-11-28, issue 8): glibc returns a non-main arena's memory only from the top of its newest
64 MiB heap down; one small in-use chunk at the end of a heap keeps that heap and every older one
of the arena resident. After the demo's spike the pinning chunks are the exiting spike threads'
JavaThread::add_oop_handles_for_release lists, carved from a heap-end remainder and then parked in
the Service Thread's tcache when it frees them. Which heap they land in is a layout lottery.
"""
import argparse
import os
import re
import struct
import subprocess
import sys
import time

MIB = 1 << 20
HEAP_MAX = 64 << 20


def parse_smaps(pid):
    maps = []
    cur = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ (\d+)\s*(.*)$", line)
            if m:
                cur = {"start": int(m.group(1), 16), "end": int(m.group(2), 16), "perms": m.group(3),
                       "inode": int(m.group(4)), "path": m.group(5).strip(), "rss": 0}
                maps.append(cur)
            elif line.startswith("Rss:"):
                cur["rss"] = int(line.split()[1]) * 1024
    return maps


def heap_info(pid, addr):
    """glibc's heap_info at a 64 MiB-aligned address: (ar_ptr, prev, size) or None."""
    try:
        with open(f"/proc/{pid}/mem", "rb") as mem:
            mem.seek(addr)
            return struct.unpack("<QQQ", mem.read(24))
    except OSError:
        return None


def live_chunks(pid, arenas, min_rss):
    """The in-use chunks (as glibc sees them: tcache and fastbin chunks count as in use) of each
    arena holding more than min_rss resident: [(arena, heap, address, size, first words)]."""
    found = []
    with open(f"/proc/{pid}/mem", "rb") as mem:
        def word(addr):
            mem.seek(addr)
            return struct.unpack("<Q", mem.read(8))[0]
        for ar, heaps in arenas.items():
            if sum(h[2] for h in heaps) < min_rss:
                continue
            top = word(ar + 96)
            for start, size, rss, prev in heaps:
                p = start + 48 + (2208 if prev == 0 else 0)  # heap_info, then malloc_state in the first heap
                end = start + size
                while p < end - 16:
                    csize = word(p + 8) & ~7
                    if p == top or csize == 0:
                        break
                    nxt = p + csize
                    if nxt >= end:
                        break
                    if word(nxt + 8) & 1 and csize > 16:
                        mem.seek(p + 16)
                        found.append((ar, start, p, csize, mem.read(32).hex()))
                    p = nxt
    return found


def thread_malloc_state(pid):
    """Per thread (gdb, glibc's debug symbols): name, its tcache and its arena."""
    script = ["set pagination off", "thread apply all p/x (long)tcache", "thread apply all p/x (long)thread_arena"]
    out = subprocess.run(["gdb", "-p", str(pid), "-batch", "-nx"] + sum((["-ex", c] for c in script), []),
                         capture_output=True, text=True).stdout
    threads = {}
    order = []
    current = None
    for line in out.splitlines():
        m = re.match(r'^Thread \d+ \(Thread 0x[0-9a-f]+ \(LWP (\d+)\) "(.*)"\):', line)
        if m:
            current = (m.group(1), m.group(2))
            continue
        m = re.match(r"^\$\d+ = 0x([0-9a-f]+)", line)
        if m and current:
            order.append((current, int(m.group(1), 16)))
            current = None
    half = len(order) // 2
    for (t, tc), (t2, ar) in zip(order[:half], order[half:]):
        threads[t[0]] = {"name": t[1], "tcache": tc, "arena": ar}
    return threads


def tcache_contents(pid, threads):
    """chunk address -> name of the thread whose tcache holds it."""
    held = {}
    with open(f"/proc/{pid}/mem", "rb") as mem:
        def word(addr):
            mem.seek(addr)
            return struct.unpack("<Q", mem.read(8))[0]
        for tid, t in threads.items():
            if not t["tcache"]:
                continue
            mem.seek(t["tcache"])
            counts = struct.unpack("<64H", mem.read(128))
            entries = struct.unpack("<64Q", mem.read(512))
            for b in range(64):
                e = entries[b]
                for _ in range(min(counts[b], 16)):
                    if not e:
                        break
                    held[e - 16] = f"{t['name']}({tid})"
                    e = (e >> 12) ^ word(e)
    return held


def tcache_key(chunks):
    """glibc's tcache_key: the second word most often seen in 'in-use' chunks (tcache entries)."""
    counts = {}
    for c in chunks:
        counts[c[4][16:32]] = counts.get(c[4][16:32], 0) + 1
    return max(counts, key=counts.get) if counts else None


def classify(pid, maps, java_heap):
    kinds = {}
    arenas = {}  # ar_ptr -> [heaps: (addr, size, rss)]
    arena_maps = set()
    for i, m in enumerate(maps):
        if m["start"] % HEAP_MAX == 0 and m["perms"].startswith("rw") and m["inode"] == 0 and not m["path"] \
                and m["end"] - m["start"] <= HEAP_MAX:
            info = heap_info(pid, m["start"])
            # heap->size may be below the mapping: shrink_heap madvises the tail away and keeps it mapped
            if info and 0 < info[2] <= m["end"] - m["start"] and (info[1] == 0 or info[1] % HEAP_MAX == 0) \
                    and info[0] != 0:
                arenas.setdefault(info[0], []).append((m["start"], info[2], m["rss"], info[1]))
                arena_maps.add(i)
    for i, m in enumerate(maps):
        if i in arena_maps:
            kind = "arena"
        elif java_heap and java_heap[0] <= m["start"] < java_heap[1] and m["inode"] == 0:
            kind = "javaheap"
        elif "classes.jsa" in m["path"]:
            kind = "cds"
        elif m["path"] == "[heap]":
            kind = "mainheap"
        elif m["path"] == "[stack]":
            kind = "stack"
        elif m["inode"] != 0 or m["path"].startswith("/"):
            kind = "file"
        elif "x" in m["perms"]:
            kind = "code"
        elif 0x80000000 <= m["start"] < 0xc0000000:
            kind = "classspace"
        else:
            kind = "otheranon"
        kinds[kind] = kinds.get(kind, 0) + m["rss"]
    return kinds, arenas


def main():
    p = argparse.ArgumentParser()
    p.add_argument("arm")
    p.add_argument("--agent", default="agent/target/emma-agent.jar")
    p.add_argument("--jar", default="benchmarks/target/benchmarks.jar")
    p.add_argument("--java", default="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--jvm", action="append", default=[])
    p.add_argument("--out", default=None)
    p.add_argument("--malloc-info", action="store_true")
    p.add_argument("--at", type=float, default=5.0)
    p.add_argument("--label", default=None, help="the arm's name in the output (default: ARM)")
    p.add_argument("--perf", action="store_true", help="record malloc returns (perf probe_libc:*_ret) from the spike on")
    p.add_argument("--chunks", action="store_true", help="list the live chunks of arenas over 8 MiB resident")
    p.add_argument("--idle", type=float, default=8.0)
    a = p.parse_args()
    label = a.label or a.arm

    cmd = [a.java, "--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-XX:MaxDirectMemorySize=4g",
           "--sun-misc-unsafe-memory-access=allow"]
    if a.arm != "none":
        cmd += [f"-javaagent:{a.agent}=mode={a.arm},summary", "--enable-native-access=ALL-UNNAMED"]
    else:
        cmd += ["--enable-native-access=ALL-UNNAMED"]
    cmd += a.jvm + ["-Xlog:gc+init=info:stderr", "-cp", a.jar, "dev.emma.bench.workload.DirectBufferDemo",
                    "threads=4", "seconds=3", "spikeMiB=512", f"idleSeconds={a.idle}"]
    env = dict(os.environ)
    for kv in a.env:
        k, v = kv.split("=", 1)
        env[k] = v
    if a.out:
        os.makedirs(a.out, exist_ok=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    pid = proc.pid
    perf = None
    for line in proc.stdout:
        if line.startswith("PHASE spike") and a.perf:
            perf = subprocess.Popen(["perf", "record", "-q", "-g", "-p", str(pid), "-o", os.path.join(a.out, f"{label}-{pid}.perf"),
                                     "-e", "probe_libc:malloc_ret__return", "-e", "probe_libc:calloc_ret__return",
                                     "-e", "probe_libc:realloc_ret__return"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if line.startswith("PHASE idle"):
            break
    time.sleep(a.at)
    with open(f"/proc/{pid}/status") as f:
        vmrss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) * 1024
    maps = parse_smaps(pid)
    kinds, arenas = classify(pid, maps, (0xf0000000, 0x100000000))  # -Xmx256m: unscaled oops below 4 GiB
    tasks = len(os.listdir(f"/proc/{pid}/task"))
    chunks = live_chunks(pid, arenas, 8 * MIB) if a.chunks else []
    if perf:
        perf.send_signal(2)
        perf.wait()
    threads = thread_malloc_state(pid) if a.chunks else {}
    held = tcache_contents(pid, threads) if a.chunks else {}
    mi = None
    if a.malloc_info:
        mi = subprocess.run([os.path.join(os.path.dirname(a.java), "jcmd"), str(pid), "System.native_heap_info"],
                            capture_output=True, text=True).stdout
    out, err = proc.communicate()
    result = next((l for l in out.splitlines() if l.startswith("RESULT")), "")
    late = re.search(r"rssAfterIdleBytes=(\d+)", result)
    arena_rss = sorted(((sum(h[2] for h in hs), len(hs), ar) for ar, hs in arenas.items()), reverse=True)
    line = f"{label} vmrss={vmrss / MIB:.0f}"
    for k in ["javaheap", "arena", "mainheap", "otheranon", "code", "classspace", "cds", "file", "stack"]:
        line += f" {k}={kinds.get(k, 0) / MIB:.1f}"
    line += f" arenas={len(arenas)} heaps={sum(len(h) for h in arenas.values())} tasks={tasks}"
    line += " perArena=" + ",".join(f"{r / MIB:.0f}/{n}" for r, n, _ in arena_rss if r > MIB)
    line += f" demoReadAtEnd={int(late.group(1)) / MIB if late else -1:.0f}"
    print(line, flush=True)
    if a.out:
        tag = f"{label}-{pid}"
        with open(os.path.join(a.out, tag + ".maps"), "w") as f:
            for m in maps:
                f.write(f"{m['start']:x}-{m['end']:x} {m['perms']} rss={m['rss'] // 1024}k {m['path']}\n")
            for ar, hs in arenas.items():
                f.write(f"arena {ar:x}: " + " ".join(f"{h[0]:x}:{h[1] >> 10}k/rss{h[2] >> 10}k/prev{h[3]:x}" for h in hs) + "\n")
        with open(os.path.join(a.out, tag + ".chunks"), "w") as f:
            key = tcache_key(chunks)
            for ar, heaps in arenas.items():
                for start, size, rss, prev in heaps:
                    mine = [c for c in chunks if c[1] == start]
                    if not mine:
                        continue
                    cached = [c for c in mine if c[4][16:32] == key]
                    hi = max(mine, key=lambda c: c[2])
                    users = ",".join(t["name"] for t in threads.values() if t["arena"] == ar)
                    f.write(f"arena={ar:x} heap={start:x} prev={prev:x} size={size >> 10}k rss={rss >> 10}k inuse={len(mine)}"
                            f" tcached={len(cached)} inuseBytes={sum(c[3] for c in mine)}"
                            f" highest=+{(hi[2] - start) >> 10}k/{hi[3]}B heldBy={held.get(hi[2], '-')} users={users} words={hi[4]}\n")
            for ar, heap, addr, size, words in chunks:
                f.write(f"  arena={ar:x} heap={heap:x} chunk={addr:x} size={size} words={words}\n")
            for tid, t in threads.items():
                f.write(f"thread {tid} {t['name']} tcache={t['tcache']:x} arena={t['arena']:x}\n")
        with open(os.path.join(a.out, tag + ".summary"), "w") as f:
            f.write(line + "\n" + result + "\n" + err)
        if mi:
            with open(os.path.join(a.out, tag + ".malloc_info"), "w") as f:
                f.write(mi)


if __name__ == "__main__":
    main()
