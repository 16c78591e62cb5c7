package dev.emma.bench.workload;

import dev.emma.bench.proc.ProcStatus;
import java.util.Set;

/**
 * Spike and idle: after a short settle, a {@link Spike} of {@code totalMiB} from {@code threads}
 * threads (mixed 256 B–1 MiB buffers, freed cross-thread), then the process sits idle. The
 * question is how much resident memory the allocator gives back:
 * {@code returnedShare} = (RSS at peak − after idle) / (RSS at peak − before the spike). The JVM
 * itself grows during the spike (Java heap, JIT arenas: about 5 MiB on 2 cores in every arm), which
 * no allocator can give back; with {@code memory=emma}, {@code emmaResidentAfterIdleBytes} is what
 * of the RSS after idle is still Emma's.
 * Throughput is the spike's allocation rate in MiB/s.
 *
 * <p>Arguments: {@code memory=direct|unsafe|emma totalMiB=1024 threads=2 idleSeconds=5}.
 */
public final class SpikeIdle {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("memory", "totalMiB", "threads", "idleSeconds"));
        Spike spike = new Spike(args.string("memory", "direct"), args.integer("threads", 2));
        long total = args.number("totalMiB", 1024) << 20;
        long idleMillis = (long) (args.decimal("idleSeconds", 5) * 1000);
        ResultLine.awaitAgent();
        spike.warmUp();
        Thread.sleep(500); // let JIT and GC threads settle before the baseline
        ResultLine.phase("baseline");
        long baseline = ProcStatus.self().rssBytes();
        ResultLine.phase("spike");
        spike.allocate(total);
        long peak = ProcStatus.self().rssBytes();
        ResultLine.phase("free");
        Spike.Timing timing = spike.free();
        long afterFree = ProcStatus.self().rssBytes();
        ResultLine.phase("idle");
        Thread.sleep(idleMillis);
        long afterIdle = ProcStatus.self().rssBytes();
        ResultLine.phase("end");

        ResultLine result = new ResultLine();
        if (args.string("memory", "direct").equals("emma")) {
            // What of the RSS after idle is Emma's own (mincore of its mappings), not the JVM's growth.
            result.put("emmaResidentAfterIdleBytes", dev.emma.Emma.global().residentBytes());
        }
        result
                .put("throughput", timing.bytes() / (double) (1 << 20) / timing.allocateSeconds())
                .put("unit", "MiB/s")
                .put("spikeSeconds", timing.allocateSeconds())
                .put("freeSeconds", timing.freeSeconds())
                .put("rssBeforeBytes", baseline)
                .put("rssAtPeakBytes", peak)
                .put("rssAfterFreeBytes", afterFree)
                .put("rssAfterIdleBytes", afterIdle)
                .put("returnedShare", (peak - afterIdle) / (double) Math.max(1, peak - baseline))
                .print();
    }
}
