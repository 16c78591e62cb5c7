package dev.emma.agent.observe.sites;

import dev.emma.agent.log.AgentLog;
import dev.emma.bridge.Route;
import dev.emma.bridge.Router;
import dev.emma.bridge.sites.SiteSampler;
import java.util.List;
import java.util.function.Consumer;

/**
 * Allocation sampling for one router: the sites table ({@code sites=N}: on from the start, sampled
 * blocks remembered until freed) and the JFR event {@code dev.emma.AllocationSample} (on while a
 * running recording enables it). With neither, the router has no sampler and pays nothing but a
 * null check.
 *
 * <p>Everything a sample runs is run once here first, before the router sees a sampler, so that no
 * class is loaded and no call site linked from inside an instrumented JDK method.
 */
public final class Sampling {

    private final Router router;
    private final int sitesToPrint;
    private final SiteTable table;
    private final SampleRecorder recorder;
    private final SiteSampler sampler;
    private Boolean warmUp;

    private Sampling(Router router, int sitesToPrint) {
        this.router = router;
        this.sitesToPrint = sitesToPrint;
        this.table = sitesToPrint > 0 ? new SiteTable() : null;
        this.recorder = new SampleRecorder(table);
        this.sampler = new SiteSampler(recorder, table != null);
    }

    /**
     * Starts sampling for {@code router} at once when {@code sites > 0}; for the JFR event see
     * {@link #watchJfr()}.
     *
     * @param sites how many sites to print at exit; 0 keeps no sites table
     */
    public static Sampling start(Router router, int sites) {
        Sampling sampling = new Sampling(router, sites);
        if (sampling.table != null) {
            if (!sampling.warmedUp()) {
                return new Sampling(router, 0);
            }
            router.sampling(sampling.sampler);
        }
        return sampling;
    }

    /**
     * Samples whenever a JFR recording enables the event. Called once JFR exists (the agent's
     * publication waits for it): before, it would load {@code jdk.jfr} in a JVM that never records.
     */
    public void watchJfr() {
        try {
            JfrSamples.watch(new EventSwitch(this));
        } catch (Throwable e) {
            AgentLog.debug("emma-agent: no JFR allocation samples (" + e + ")"); // a runtime image without jdk.jfr
        }
    }

    /** A class, not {@code sampling::recording}: a method reference spins a class at start-up. */
    private record EventSwitch(Sampling sampling) implements Consumer<Boolean> {
        @Override
        public void accept(Boolean eventEnabled) {
            sampling.recording(eventEnabled);
        }
    }

    /** A running recording enables the JFR event, or no longer does. */
    private void recording(boolean eventEnabled) {
        if (eventEnabled && !warmedUp()) {
            return;
        }
        recorder.events(eventEnabled);
        if (table == null) {
            router.sampling(eventEnabled ? sampler : null);
        }
    }

    /**
     * Whether one sample went through a throwaway table: every class and call site of the sample path
     * loaded and linked, here rather than inside an allocation. Once; false (said once) if it failed.
     */
    private synchronized boolean warmedUp() {
        if (warmUp == null) {
            try {
                SiteTable scratch = new SiteTable();
                SampleRecorder throwaway = new SampleRecorder(scratch);
                Object site = throwaway.sampled(64, 64, Route.JDK, true);
                throwaway.released(site, 64);
                scratch.top(1).forEach(row -> row.site().describe());
                warmUp = Boolean.TRUE;
            } catch (Throwable e) {
                AgentLog.warning("emma-agent: allocation sampling is off: it failed before it started (" + e + ")");
                warmUp = Boolean.FALSE;
            }
        }
        return warmUp;
    }

    /** Whether a sites table is kept ({@code sites=N} with N above 0). */
    public boolean keepsSites() {
        return table != null;
    }

    /** The N of {@code sites=N}: how many sites the exit report prints. */
    public int sitesToPrint() {
        return sitesToPrint;
    }

    /** The top {@code count} sites by live bytes, as text (the MBean operation and the exit report). */
    public String topSites(int count) {
        if (table == null) {
            return "Allocation sites are not kept: start the agent with sites=N (N sites printed at exit)\n";
        }
        return SitesReport.text(table.top(count), count, table.size(), sampler.intervalBytes(), sampler.samples(),
                sampler.liveSamples(), sampler.lost());
    }

    /** The rows themselves (tests, and readers that want figures rather than text). */
    public List<SiteRow> top(int count) {
        return table == null ? List.of() : table.top(count);
    }
}
