package dev.emma.agent.observe.sites;

import java.util.List;

/**
 * Where off-heap memory was allocated: the route and the first {@link SiteFinder#DEPTH} frames
 * outside the JDK and the agent (the allocating method and its callers), or, when the whole stack
 * is the JDK's (a JDK thread's own buffers), the first JDK frames below the allocation machinery.
 *
 * @param route  {@code direct}, {@code unsafe}, {@code ffm}, {@code linker} or {@code jdk} (see {@link RouteNames})
 * @param jdk    whether no frame of the stack was outside the JDK and the agent
 * @param frames {@code class.method(File.java:line)}, the allocating frame first
 */
public record Site(String route, boolean jdk, List<String> frames) {

    /** Where samples go once the table holds {@link SiteTable#MAX_SITES} sites. */
    static final Site OTHER = new Site("-", false, List.of("(other sites: the table is full)"));

    /** The frames joined, callers after {@code <-}; JDK-only sites marked {@code [JDK]}. Runs inside samples: no string concatenation to link. */
    public String describe() {
        StringBuilder text = new StringBuilder(jdk ? "[JDK] " : "");
        for (int i = 0; i < frames.size(); i++) {
            text.append(i == 0 ? "" : " <- ").append(frames.get(i));
        }
        return text.toString();
    }
}
