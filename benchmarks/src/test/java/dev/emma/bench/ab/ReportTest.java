package dev.emma.bench.ab;

import static dev.emma.bench.ab.Runs.MIB;
import static dev.emma.bench.ab.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.bench.harness.Wrk;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static final List<Arm> ARMS = List.of(Arm.NONE, Arm.PASSTHROUGH, Arm.EMMA);

    @Test
    void theTableShowsMedianRangeAndPerRepRatios() {
        Summary summary = new Summary(List.of(
                run(Arm.NONE, 1, 200), run(Arm.PASSTHROUGH, 1, 210), run(Arm.EMMA, 1, 180),
                run(Arm.NONE, 2, 250), run(Arm.PASSTHROUGH, 2, 250), run(Arm.EMMA, 2, 200),
                run(Arm.NONE, 3, 100), run(Arm.PASSTHROUGH, 3, 110), run(Arm.EMMA, 3, 70)));

        String table = Report.table(ARMS, summary);
        List<String> lines = table.lines().toList();

        assertEquals(List.of("", "none", "passthrough", "emma"), cells(lines.get(0)));
        assertTrue(lines.get(1).matches("\\|:-+\\|(-+:\\|){3}"), lines.get(1));
        assertEquals(List.of("peak RSS (VmHWM), MiB", "200 (100–250)", "210 (110–250)", "180 (70–200)"), cells(lines.get(2)));
        assertEquals(List.of("× none, per rep", "", "1.05× (1.00×–1.10×)", "0.80× (0.70×–0.90×)"), cells(lines.get(3)));
        assertTrue(lines.stream().allMatch(l -> l.length() == lines.get(0).length()), "columns padded alike:\n" + table);
    }

    @Test
    void withAnEmptyAgentArmTheAgentArmsAreAlsoComparedWithIt() {
        Summary summary = new Summary(List.of(
                run(Arm.NONE, 1, 200), run(Arm.EMPTY, 1, 250), run(Arm.PASSTHROUGH, 1, 260), run(Arm.EMMA, 1, 150)));

        List<String> lines = Report.table(List.of(Arm.NONE, Arm.EMPTY, Arm.PASSTHROUGH, Arm.EMMA), summary).lines().toList();

        assertEquals(List.of("peak RSS (VmHWM), MiB", "200", "250", "260", "150"), cells(lines.get(2)));
        assertEquals(List.of("× none, per rep", "", "1.25×", "1.30×", "0.75×"), cells(lines.get(3)));
        assertEquals(List.of("× empty, per rep", "", "", "1.04×", "0.60×"), cells(lines.get(4)));
        assertFalse(Report.table(ARMS, summary).contains("× empty"), "no such row without the empty arm");
    }

    @Test
    void agentFiguresAreNotApplicableWithoutTheAgentAndNotAvailableWhenTheAgentLacksThem() {
        Summary summary = new Summary(List.of(run(Arm.NONE, 1, 200), run(Arm.PASSTHROUGH, 1, 210), run(Arm.EMMA, 1, 180)));

        String share = row(Report.table(ARMS, summary), "Emma's share");

        assertEquals(List.of("Emma's share of Java off-heap bytes", "—", "n/a", "n/a"), cells(share));
    }

    @Test
    void theShareIsAPercentageWhenTheAgentPublishesIt() {
        Summary summary = new Summary(List.of(
                run(Arm.NONE, 1, 200, 190, 180, Map.of("direct.MemoryUsed", 0.3 * MIB), Optional.empty(), null),
                run(Arm.EMMA, 1, 200, 190, 180, Map.of("emma.EmmaShare", 0.963, "emma.Fallbacks", 12.0, "emma.EmmaBytes", 963.0 * MIB,
                        "emma.NativeBytes", 37.0 * MIB, "direct.MemoryUsed", 12.0 * MIB), Optional.empty(), null)));

        String table = Report.table(List.of(Arm.NONE, Arm.EMMA), summary);

        assertEquals(List.of("Emma's share of Java off-heap bytes", "—", "96%"), cells(row(table, "Emma's share")));
        assertEquals(List.of("fallbacks to the native allocator", "—", "12"), cells(row(table, "fallbacks")));
        assertEquals(List.of("bytes Emma served, MiB", "—", "963"), cells(row(table, "  bytes Emma served")));
        assertEquals(List.of("bytes that stayed native, MiB", "—", "37"), cells(row(table, "  bytes that stayed native")));
        assertEquals(List.of("JDK direct buffers at end of load, MiB", "0.30", "12"), cells(row(table, "JDK direct buffers")));
    }

    @Test
    void wrkRowsOnlyWhenTheLoadWasWrk() {
        Summary without = new Summary(List.of(run(Arm.NONE, 1, 200), run(Arm.EMMA, 1, 180)));
        Summary with = new Summary(List.of(
                run(Arm.NONE, 1, 200, 190, 180, Map.of(), Optional.of(new Wrk.Result(40_000, 6.0)), null),
                run(Arm.EMMA, 1, 180, 170, 160, Map.of(), Optional.of(new Wrk.Result(36_000, 7.5)), null)));

        assertFalse(Report.table(List.of(Arm.NONE, Arm.EMMA), without).contains("wrk"));
        String table = Report.table(List.of(Arm.NONE, Arm.EMMA), with);
        assertEquals(List.of("wrk requests/s", "40,000", "36,000"), cells(row(table, "wrk requests/s")));
        assertEquals(List.of("wrk p99 latency, ms", "6.00", "7.50"), cells(row(table, "wrk p99")));
        List<String> lines = table.lines().toList();
        assertEquals(List.of("× none, per rep", "", "0.90×"), cells(lines.get(lines.indexOf(row(table, "wrk requests/s")) + 1)));
        assertEquals(List.of("× none, per rep", "", "1.25×"), cells(lines.get(lines.indexOf(row(table, "wrk p99")) + 1)));
    }

    @Test
    void problemsComeFirstAndLoud() {
        RunResult failed = run(Arm.EMMA, 1, 180, 170, 160, Map.of(), Optional.empty(), "the agent never became active");
        List<Problem> problems = List.of(
                new Problem(Problem.Severity.FAIL, Arm.EMMA, 1, "the agent never became active"),
                new Problem(Problem.Severity.NOTE, Arm.NONE, 1, "load command ended early"));
        Summary summary = new Summary(List.of(run(Arm.NONE, 1, 200), failed));

        String md = Report.markdown(List.of("Service: `java -jar app.jar`"), List.of(Arm.NONE, Arm.EMMA), summary, problems, "rss.png");

        assertTrue(md.indexOf("## Problems") < md.indexOf("## Results"));
        assertTrue(md.contains("**Not every arm ran as it claims** (exit code 1):\n\n"
                + "- **FAIL emma rep 1: the agent never became active**\n"
                + "- note none rep 1: load command ended early\n"), md);
        assertTrue(md.contains("![RSS over time, every run](rss.png)"));
        assertTrue(md.contains("| 1 (failed) |"), "the failed rep is named in its arm's section:\n" + md);
        assertEquals(List.of("peak RSS (VmHWM), MiB", "200", "n/a"), cells(row(Report.table(List.of(Arm.NONE, Arm.EMMA), summary), "peak RSS")));
    }

    @Test
    void eachAgentArmShowsTheAgentsCoverageReportAndTopSitesPerRep() {
        AgentReport printed = AgentReport.of(AgentReportTest.LOG);
        RunResult emma1 = withAgent(run(Arm.EMMA, 1, 180), printed);
        RunResult emma2 = withAgent(run(Arm.EMMA, 2, 180), new AgentReport(printed.coverage(), List.of()));
        Summary summary = new Summary(List.of(run(Arm.NONE, 1, 200), emma1, emma2));

        String md = Report.markdown(List.of("Service: `java -jar app.jar`"), List.of(Arm.NONE, Arm.EMMA), summary, List.of(), "rss.png");
        String none = md.substring(md.indexOf("### none"), md.indexOf("### emma"));
        String emma = md.substring(md.indexOf("### emma"));

        assertFalse(none.contains("Coverage at exit"), none);
        assertTrue(emma.contains("**Coverage at exit (the agent's `summary`), rep 1** (emma-1.log):\n\n```\n"
                + "emma-agent: coverage report (mode=emma, at exit)\n"), emma);
        assertTrue(emma.contains("**Coverage at exit (the agent's `summary`), rep 2** (emma-2.log)"), emma);
        assertTrue(emma.contains("**Top allocation sites at exit (`--sites`, agent option `sites=N`), rep 1** (emma-1.log):\n\n```\n"
                + "emma-agent: top 2 allocation sites"), emma);
        assertFalse(emma.contains("sites=N`), rep 2"), "rep 2 printed no sites:\n" + emma);
        assertTrue(emma.indexOf("| rep |") < emma.indexOf("Coverage at exit") && emma.indexOf("Coverage at exit") < emma.indexOf("Top allocation sites"));
    }

    private static RunResult withAgent(RunResult run, AgentReport agent) {
        return new RunResult(run.arm(), run.rep(), run.samples(), run.wrk(), run.failure(), run.problems(), run.files(), agent);
    }

    @Test
    void noProblemsIsSaidToo() {
        assertEquals("None: every arm ran and is what it claims.\n", Report.problems(List.of()));
        assertTrue(Report.problems(List.of(new Problem(Problem.Severity.WARN, Arm.EMMA, 2, "share unknown")))
                .startsWith("Every arm ran, but check:\n\n- **WARN emma rep 2: share unknown**"));
    }

    @Test
    void samplesCsvHasEveryAttributeSeenAndEmptyCellsWhereNotRead() {
        RunResult none = run(Arm.NONE, 1, 200, 190, 180, Map.of("direct.MemoryUsed", 1024.0), Optional.empty(), null);
        RunResult emma = run(Arm.EMMA, 1, 200, 190, 180, Map.of("direct.MemoryUsed", 2048.0, "emma.EmmaShare", 0.5), Optional.empty(), null);

        List<String> lines = SamplesCsv.render(List.of(none, emma)).lines().toList();

        assertEquals("arm,rep,millis,phase,rssBytes,hwmBytes,anonBytes,direct.MemoryUsed,emma.EmmaShare", lines.getFirst());
        assertEquals("none,1,0,start,10485760,10485760,5242880,,", lines.get(1));
        assertEquals("none,1,400,measure,199229440,209715200,99614720,1024,", lines.get(3));
        assertEquals("emma,1,400,measure,199229440,209715200,99614720,2048,0.5", lines.get(8));
        assertEquals(11, lines.size());
    }

    private static String row(String table, String label) {
        return table.lines().filter(l -> l.startsWith("| " + label)).findFirst().orElseThrow(() -> new AssertionError(label + " in\n" + table));
    }

    private static List<String> cells(String row) {
        return Arrays.stream(row.substring(1, row.length() - 1).split("\\|")).map(String::strip).toList();
    }
}
