package dev.emma.heap;

import dev.emma.EmmaConfig;
import dev.emma.memory.Memory;
import dev.emma.os.Syscalls;
import dev.emma.page.Page;
import dev.emma.page.PageKind;
import dev.emma.page.SizeClasses;
import dev.emma.segment.Layout;
import dev.emma.segment.SegmentPool;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;

/**
 * A diagnostic, not a test: ThreadChurn's loop on an Allocator of its own, and at the moment the
 * last wave holds all its blocks, where Emma's resident memory is (page states, mincore).
 * Run: java -cp core/target/classes:core/target/test-classes [-Dprobe.wave=16] dev.emma.heap.ChurnResidentProbe waves shared
 */
public final class ChurnResidentProbe {
    public static void main(String[] argv) throws Exception {
        int waves = Integer.parseInt(argv[0]);
        int sharedHeaps = Integer.parseInt(argv[1]);
        int wave = Integer.getInteger("probe.wave", 16), blocks = 500;
        Allocator a = new Allocator(EmmaConfig.defaults().withSharedHeaps(sharedHeaps));
        long[] sizes = new long[1 << 14];
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Math.clamp((long) Math.exp(Math.log(16) + random.nextDouble() * (Math.log(65537.0) - Math.log(16))), 16, 65536);
        }
        ConcurrentLinkedQueue<long[]> leftBehind = new ConcurrentLinkedQueue<>();
        for (int w = 0; w < waves; w++) {
            boolean last = w == waves - 1;
            CyclicBarrier peak = new CyclicBarrier(wave, () -> report(a));
            Thread[] ts = new Thread[wave];
            for (int t = 0; t < wave; t++) {
                int index = t;
                ts[t] = Thread.ofPlatform().start(() -> {
                    long[] mine = new long[blocks];
                    for (int i = 0; i < blocks; i++) {
                        long size = sizes[(i * 31 + index) & (sizes.length - 1)];
                        mine[i] = a.allocate(size);
                        for (long o = 0; o < size; o += 4096) Memory.putByte(mine[i] + o, (byte) 1);
                    }
                    try { peak.await(); } catch (Exception e) { throw new IllegalStateException(e); }
                    long[] handed = new long[blocks / 2];
                    for (int i = 0; i < blocks; i++) {
                        if (i % 2 == 0) a.free(mine[i]); else handed[i / 2] = mine[i];
                    }
                    long[] earlier = leftBehind.poll();
                    leftBehind.add(handed);
                    if (earlier != null) for (long x : earlier) a.free(x);
                });
            }
            for (Thread t : ts) t.join();
        }
        System.out.println("at the wave with most Emma resident memory:\n" + worst);
        System.exit(0);
    }

    /** -Dprobe.byClass=true: one row per size class (and OWNED / DETACHED) instead of per page state. */
    static final boolean BY_CLASS = Boolean.getBoolean("probe.byClass");

    static String worst = "";
    static long worstResident;

    static Object field(Object o, String name) {
        try {
            Field f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static void report(Allocator a) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(bytes));
        long resident = a.residentBytes();
        try {
            breakdown(a);
        } finally {
            System.setOut(out);
        }
        if (resident > worstResident) {
            worstResident = resident;
            worst = bytes.toString();
        }
    }

    @SuppressWarnings("unchecked")
    static void breakdown(Allocator a) {
        SegmentPool pool = (SegmentPool) field(a, "pool");
        Heaps heaps = (Heaps) field(a, "heaps");
        Heap[] shared = (Heap[]) field(heaps, "shared");
        Map<Integer, Boolean> threadHeapAlive = new TreeMap<>();
        synchronized (heaps) {
            for (Heap h : (List<Heap>) field(heaps, "threadHeaps")) {
                Thread t = h.thread.get();
                threadHeapAlive.put(h.id, t != null && t.isAlive());
            }
        }
        int maxShared = shared[shared.length - 1].id;
        Map<String, long[]> rows = new TreeMap<>(); // pages, resident, live
        long vector = Syscalls.mmap(0, 1024, Syscalls.PROT_READ_WRITE, 0);
        long[] header = new long[2];
        pool.sumOverSegments((base, len) -> {
            Syscalls.mincore(base, Layout.SEGMENT_SIZE, vector);
            PageKind kind = PageKind.values()[Memory.getInt(base + Layout.PAGE_KIND)];
            for (int i = 0; i < Layout.headerSize(kind) / 4096; i++) header[1] += (Memory.getByte(vector + i) & 1) * 4096L;
            header[0]++;
            int pages = (int) (Layout.SEGMENT_SIZE >>> kind.shift);
            for (int i = (int) (Layout.headerSize(kind) >>> kind.shift); i < pages; i++) {
                long p = Layout.pageRecord(base, i);
                long start = Math.max((long) i << kind.shift, Layout.headerSize(kind));
                long end = (long) (i + 1) << kind.shift;
                long res = 0;
                for (long o = start; o < end; o += 4096) res += (Memory.getByte(vector + o / 4096) & 1) * 4096L;
                int state = Page.state(p);
                String what;
                long live = 0, idle = 0;
                if (state == Page.FREE) {
                    what = "free(pool)";
                } else {
                    int c = Page.sizeClass(p);
                    long bm = Layout.allocBitmap(p);
                    for (long w = 0; w < Layout.BITMAP_BYTES; w += 8) {
                        live += Long.bitCount(Memory.getLong(bm + w) & ~Memory.getLong(bm + Layout.BITMAP_BYTES + w));
                    }
                    live *= SizeClasses.blockSize(c);
                    // Resident OS pages that hold no live block: freed holes and carved-but-free space.
                    long b = SizeClasses.blockSize(c), area = Page.areaStart(p);
                    java.util.BitSet used = new java.util.BitSet();
                    for (long k = 0; area + (k + 1) * b <= base + end; k++) {
                        long w = Memory.getLong(bm + (k >>> 6) * 8), r2 = Memory.getLong(bm + Layout.BITMAP_BYTES + (k >>> 6) * 8);
                        if (((w & ~r2) >>> (k & 63) & 1) != 0) used.set((int) ((area + k * b - base) >>> 12), (int) ((area + (k + 1) * b - 1 - base) >>> 12) + 1);
                    }
                    for (long o = start; o < end; o += 4096) if ((Memory.getByte(vector + o / 4096) & 1) != 0 && !used.get((int) (o >>> 12))) idle += 4096;
                    if (state == Page.DETACHED) {
                        what = (Memory.getInt(p + Page.FLAGS) & Page.QUEUED) != 0 ? "detached queued" : "detached unqueued";
                    } else {
                        int owner = Page.owner(p);
                        if (owner <= maxShared) what = "owned shared";
                        else if (Boolean.TRUE.equals(threadHeapAlive.get(owner))) what = "owned live thread";
                        else what = "owned dead thread";
                    }
                    if (live == 0) what += " EMPTY";
                }
                if (BY_CLASS && state != Page.FREE) what = String.format("class %6d %s", SizeClasses.blockSize(Page.sizeClass(p)), state == Page.DETACHED ? "D" : "O");
                long[] r = rows.computeIfAbsent(kind + " " + what, k -> new long[4]);
                r[0]++; r[1] += res; r[2] += live; r[3] += idle;
            }
            return 0;
        });
        long mib = 1 << 20;
        System.out.printf("segments %d, headers resident %.1f MiB%n", header[0], header[1] / (double) mib);
        long tr = 0, tl = 0;
        for (var e : rows.entrySet()) {
            long[] r = e.getValue();
            tr += r[1]; tl += r[2];
            System.out.printf("%-40s pages %5d resident %7.1f MiB live %7.1f MiB resident-without-live %7.1f MiB%n", e.getKey(), r[0], r[1] / (double) mib, r[2] / (double) mib, r[3] / (double) mib);
        }
        var stats = a.stats();
        System.out.printf("total pages resident %.1f live %.1f; Emma residentBytes %.1f mapped %.1f liveBytes(stats) %.1f; threadHeaps %d (%d alive)%n",
                tr / (double) mib, tl / (double) mib, a.residentBytes() / (double) mib, stats.mappedBytes() / (double) mib,
                stats.liveBytes() / (double) mib, threadHeapAlive.size(), threadHeapAlive.values().stream().filter(x -> x).count());
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS") || line.startsWith("RssAnon") || line.startsWith("VmHWM")) System.out.println(line);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
