package dev.emma.agent.observe;

/**
 * One reading of the agent's numbers, shared by the MBean, the JFR event and the log lines.
 *
 * @param mode                    emma, passthrough or off
 * @param liveBytes               bytes in live blocks (emma: Emma's usable bytes; passthrough:
 *                                requested bytes of native blocks allocated since install)
 * @param liveAllocations         live blocks, counted the same way
 * @param mappedBytes             bytes Emma has mapped (0 in passthrough: the native allocator's are not visible)
 * @param residentBytes           bytes of Emma's mappings resident in RAM (0 in passthrough)
 * @param totalAllocations        allocations since install, every path
 * @param totalReallocations      reallocations of live blocks since install
 * @param totalFrees              frees of non-zero addresses since install
 * @param foreignFrees            frees of memory not handed out by the routed allocator
 * @param directBufferAllocations allocations for direct buffers
 * @param unsafeAllocations       allocations by other Unsafe callers ({@code sun.misc.Unsafe}, ...)
 * @param ffmAllocations          allocations for FFM arenas
 * @param fallbacks               allocations Emma could not serve (served natively)
 */
public record AllocatorReading(String mode, long liveBytes, long liveAllocations, long mappedBytes, long residentBytes,
                               long totalAllocations, long totalReallocations, long totalFrees, long foreignFrees,
                               long directBufferAllocations, long unsafeAllocations, long ffmAllocations, long fallbacks) {

    /** The periodic log line: one line, human-readable. */
    public String toLogLine() {
        return "emma-agent: mode=" + mode + " live=" + Bytes.format(liveBytes) + " in " + liveAllocations + " blocks"
                + " mapped=" + Bytes.format(mappedBytes) + " resident=" + Bytes.format(residentBytes)
                + " allocations=" + totalAllocations + " (direct=" + directBufferAllocations + " unsafe=" + unsafeAllocations
                + " ffm=" + ffmAllocations + ") reallocations=" + totalReallocations + " frees=" + totalFrees
                + " foreignFrees=" + foreignFrees + " fallbacks=" + fallbacks;
    }
}
