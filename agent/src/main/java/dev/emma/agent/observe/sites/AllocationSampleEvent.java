package dev.emma.agent.observe.sites;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR event {@code dev.emma.AllocationSample}: one off-heap allocation, sampled by its bytes
 * (see {@code dev.emma.bridge.sites.SampleInterval}), with its stack trace. Like
 * {@code jdk.ObjectAllocationSample}, a sample stands for {@link #weight} bytes of allocations, and
 * the rate is bounded (a few hundred a second) whatever the allocation rate.
 *
 * <p>Not JDK 25's {@code @Throttle}: that caps a count of events per time unit and picks among them
 * alike, so a 16-byte block would be as likely to be kept as a 1 MiB one (and it needs JDK 25; the
 * agent runs on 22+). The sampler here is byte-weighted itself, and the rate is bounded by the
 * sampling interval.
 */
@Name(AllocationSampleEvent.NAME)
@Label("Emma Allocation Sample")
@Category("Emma")
@Description("An off-heap allocation sampled by its bytes: a large block is more likely to be sampled than a small one;"
        + " each sample stands for 'weight' bytes")
@StackTrace(true)
public final class AllocationSampleEvent extends Event {

    public static final String NAME = "dev.emma.AllocationSample";

    @Label("Size") @Description("Bytes requested") @DataAmount
    long size;
    @Label("Weight") @Description("Bytes of allocations this sample stands for: its size divided by its probability of being sampled")
    @DataAmount
    long weight;
    @Label("Route") @Description("direct (ByteBuffer.allocateDirect), unsafe (sun.misc.Unsafe), ffm (an FFM arena), linker"
            + " (libc's allocator through an FFM Linker downcall) or jdk (the JDK's own use of its internal Unsafe)")
    String route;
    @Label("Allocator") @Description("emma, or native when the native allocator served it (passthrough, a fallback)")
    String allocator;
    @Label("Site") @Description("The first frames outside the JDK and the agent, the allocating one first")
    String site;
}
