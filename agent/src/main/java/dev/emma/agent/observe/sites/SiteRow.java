package dev.emma.agent.observe.sites;

/**
 * One site's estimates at one moment.
 *
 * @param liveBytes      estimated bytes of its blocks still live
 * @param allocatedBytes estimated bytes it allocated since sampling started
 * @param nativeBytes    of those, the bytes the native allocator served (passthrough, fallbacks)
 * @param samples        samples taken there
 * @param liveSamples    of those, blocks still live
 */
public record SiteRow(Site site, long liveBytes, long allocatedBytes, long nativeBytes, long samples, long liveSamples) {

    /** Share of the allocated bytes that stayed native, 0..1. */
    public double nativeShare() {
        return allocatedBytes == 0 ? 0 : (double) nativeBytes / allocatedBytes;
    }
}
