#!/usr/bin/env python3
"""For each resident arena heap in demo-idle-map.py's .chunks files: its highest in-use chunk (what
keeps the heap from being trimmed), which thread's tcache holds it, and, from the matching .perf
file (demo-idle-map.py --perf), which thread allocated it with which native call stack.
Usage: demo-idle-pins.py OUT/*.chunks"""
import sys, re, subprocess, os
def analyze(chunks):
    perf=chunks.replace('.chunks','.perf')
    allocs={}
    if os.path.exists(perf):
        txt=subprocess.run(['perf','script','-i',perf],capture_output=True,text=True).stdout
        for ev in txt.split('\n\n'):
            lines=ev.strip().split('\n')
            m=re.match(r'\s*(.+?)\s+(\d+) \[\d+\] ([\d.]+):\s+probe_libc:(\w+): .* arg1=0x([0-9a-f]+)',lines[0])
            if not m: continue
            frames=[re.sub(r'^\s*[0-9a-f]+ ','',l).split(' (')[0] for l in lines[1:]]
            frames=[f for f in frames if f!='[unknown]'][:6]
            allocs[int(m.group(5),16)]=(m.group(1),m.group(3),' < '.join(frames))
    heaps={}
    for l in open(chunks):
        m=re.match(r'  arena=(\w+) heap=(\w+) chunk=(\w+) size=(\d+)',l)
        if m:
            h=int(m.group(2),16); c=int(m.group(3),16)
            if h not in heaps or c>heaps[h][0]: heaps[h]=(c,int(m.group(4)),m.group(1))
    summ={}
    for l in open(chunks):
        m=re.match(r'arena=(\w+) heap=(\w+) prev=(\w+) size=(\d+)k rss=(\d+)k .*heldBy=(\S+( \S+)?) users=(.*?) words',l)
        if m: summ[int(m.group(2),16)]=(m.group(3),int(m.group(5))>>10,m.group(6),m.group(8))
    for h,(c,sz,ar) in sorted(heaps.items()):
        if h not in summ or summ[h][1]<8: continue
        prev,rss,held,users=summ[h]
        a=allocs.get(c+16)
        print(f"  heap {h:x} prev={prev} rss={rss}M users={users} top-chunk +{(c-h)>>10}k {sz}B heldBy={held} alloc={a}")
for f in sys.argv[1:]:
    print(f, open(f.replace('.chunks','.summary')).readline().split()[1])
    analyze(f)
