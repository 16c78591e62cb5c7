package dev.emma.bench.report;

import dev.emma.bench.harness.AllocatorConfig;
import dev.emma.bench.harness.RunRecord;
import dev.emma.bench.proc.RssSampler;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts drawn with JFreeChart, headless; one colour per allocator in every chart. */
public final class Charts {

    private static final Map<String, Color> COLORS = Map.of(
            "glibc", new Color(0x55, 0x55, 0x55),
            "jemalloc", new Color(0x1f, 0x77, 0xb4),
            "mimalloc", new Color(0x2c, 0xa0, 0x2c),
            "emma-agent", new Color(0xd6, 0x27, 0x28),
            "emma-core", new Color(0xff, 0x7f, 0x0e));
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);

    private Charts() {
    }

    private static final Map<String, String> SHORT_NAMES = Map.of(
            "glibc", "glibc", "jemalloc", "jemalloc", "mimalloc", "mimalloc",
            "emma-agent", "Emma (agent)", "emma-core", "Emma (core)");

    /** Bar labels must fit under a bar. */
    static String shortName(AllocatorConfig config) {
        return SHORT_NAMES.getOrDefault(config.id(), config.id());
    }

    static Color color(String config) {
        return COLORS.getOrDefault(config, Color.BLACK);
    }

    /**
     * RSS over time, one line per configuration (its median run by RSS after idle), time counted
     * from the start of the spike.
     */
    public static void spikeTimeline(Results results, String workload, List<AllocatorConfig> configs, Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (AllocatorConfig config : configs) {
            RunRecord run = results.medianRun(workload, config.id(), "rssAfterIdleBytes");
            if (run == null) {
                continue;
            }
            long zero = run.outcome().phases().getOrDefault("spike", 0L);
            long end = run.outcome().phases().getOrDefault("end", Long.MAX_VALUE); // JVM exit is not idleness
            List<double[]> points = new ArrayList<>();
            for (RssSampler.Sample sample : run.outcome().samples()) {
                if (sample.millis() > end) {
                    break;
                }
                points.add(new double[] {(sample.millis() - zero) / 1000.0, sample.rssBytes() / 1048576.0});
            }
            lines.add(new Line(config.label(), color(config.id()), points, true));
        }
        timeline("Spike and idle: RSS over time (median run per allocator)", "seconds from the start of the spike",
                "resident set size (MiB)", lines, List.of(), file);
    }

    /** One line of a {@link #timeline}: (x, y) points, and whether the legend names it (reps of one arm share a name). */
    public record Line(String label, Color color, List<double[]> points, boolean inLegend) {
    }

    /** A shaded span of the x axis, labelled (a phase). */
    public record Band(String label, double from, double to) {
    }

    /** A line chart over time, 900×500 PNG. */
    public static void timeline(String title, String xLabel, String yLabel, List<Line> lines, List<Band> bands, Path file)
            throws IOException {
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (Line line : lines) {
            XYSeries series = new XYSeries(line.label() + "#" + dataset.getSeriesCount()); // keys must be unique
            line.points().forEach(p -> series.add(p[0], p[1]));
            int index = dataset.getSeriesCount();
            renderer.setSeriesPaint(index, line.color());
            renderer.setSeriesStroke(index, new BasicStroke(2.2f));
            renderer.setSeriesVisibleInLegend(index, line.inLegend());
            dataset.addSeries(series);
        }
        renderer.setLegendItemLabelGenerator((data, series) -> lines.get(series).label());
        XYPlot plot = new XYPlot(dataset, new NumberAxis(xLabel), new NumberAxis(yLabel), renderer);
        for (Band band : bands) {
            IntervalMarker marker = new IntervalMarker(band.from(), band.to(), new Color(0, 0, 0, 18));
            marker.setLabel(band.label());
            marker.setLabelAnchor(RectangleAnchor.TOP);
            marker.setLabelTextAnchor(TextAnchor.TOP_CENTER);
            plot.addDomainMarker(marker, Layer.BACKGROUND);
        }
        style(plot);
        JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 500);
    }

    /**
     * Two bar panels for one workload: median throughput relative to glibc on top, median peak RSS
     * below, one bar per configuration that ran.
     */
    public static void workloadBars(Results results, String workload, String title, List<AllocatorConfig> configs, Path file)
            throws IOException {
        DefaultCategoryDataset throughput = new DefaultCategoryDataset();
        DefaultCategoryDataset peak = new DefaultCategoryDataset();
        List<AllocatorConfig> shown = configs.stream()
                .filter(c -> !results.runs(workload, c.id()).isEmpty()).toList();
        for (AllocatorConfig config : shown) {
            Spread ratio = results.ratio(workload, config.id(), AllocatorConfig.GLIBC, "throughput");
            Spread rss = results.spread(workload, config.id(), "peakRssBytes");
            throughput.addValue(ratio.empty() ? null : ratio.median(), "throughput", shortName(config));
            peak.addValue(rss.empty() ? null : rss.median() / 1048576.0, "peak RSS", shortName(config));
        }
        CategoryAxis axis = new CategoryAxis();
        axis.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(axis);
        plot.add(barPlot(throughput, "throughput, × glibc (higher is better)", shown, "0.00"), 1);
        plot.add(barPlot(peak, "peak RSS, MiB (lower is better)", shown, "#,##0"), 1);
        JFreeChart chart = new JFreeChart(title, TITLE, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 560);
    }

    private static CategoryPlot barPlot(DefaultCategoryDataset data, String label, List<AllocatorConfig> configs, String format) {
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return color(configs.get(column).id());
            }
        };
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setMaximumBarWidth(0.12);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat(format)));
        renderer.setDefaultItemLabelsVisible(true);
        NumberAxis range = new NumberAxis(label);
        range.setUpperMargin(0.15);
        CategoryPlot plot = new CategoryPlot(data, null, range, renderer);
        style(plot);
        return plot;
    }

    private static void style(org.jfree.chart.plot.Plot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
            xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
        } else if (plot instanceof CategoryPlot category) {
            category.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
    }
}
