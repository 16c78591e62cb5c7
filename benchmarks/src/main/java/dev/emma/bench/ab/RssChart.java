package dev.emma.bench.ab;

import dev.emma.bench.report.Charts;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code rss.png}: VmRSS over time of every run, one colour per arm, reps overlaid; time counted
 * from the start of each run's warm-up, so that start-up (before 0) and the phases line up.
 */
final class RssChart {

    private static final Map<Arm, Color> COLORS = Map.of(
            Arm.NONE, new Color(0x55, 0x55, 0x55),
            Arm.EMPTY, new Color(0x2c, 0xa0, 0x2c),
            Arm.PASSTHROUGH, new Color(0x1f, 0x77, 0xb4),
            Arm.EMMA, new Color(0xd6, 0x27, 0x28));

    private RssChart() {
    }

    static void write(List<RunResult> runs, long warmupMillis, long durationMillis, Path file) throws IOException {
        List<Charts.Line> lines = new ArrayList<>();
        List<Arm> named = new ArrayList<>();
        for (RunResult run : runs) {
            Sample warmup = run.samples().stream().filter(s -> s.phase() == Sample.Phase.WARMUP).findFirst().orElse(null);
            if (warmup == null) {
                continue; // never reached its load: nothing to line up
            }
            List<double[]> points = run.samples().stream().filter(s -> s.phase() != Sample.Phase.STOP)
                    .map(s -> new double[] {(s.millis() - warmup.millis()) / 1000.0, s.rssBytes() / 1048576.0}).toList();
            boolean first = !named.contains(run.arm());
            named.add(run.arm());
            lines.add(new Charts.Line(run.arm().id(), COLORS.get(run.arm()), points, first));
        }
        double w = warmupMillis / 1000.0;
        double d = durationMillis / 1000.0;
        List<Charts.Band> bands = List.of(new Charts.Band("measured window", w, w + d)); // warm-up before, idle after
        Charts.timeline("RSS over time, every run (one colour per arm)", "seconds from the start of the warm-up",
                "resident set size, VmRSS (MiB)", lines, bands, file);
    }
}
