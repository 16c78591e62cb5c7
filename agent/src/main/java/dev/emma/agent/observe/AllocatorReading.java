package dev.emma.agent.observe;

import java.util.Locale;

/**
 * One reading of the agent's numbers, shared by the MBean, the JFR event and the log lines. What
 * each figure means, its unit and how exact it is: {@link Attribute}.
 */
public record AllocatorReading(String mode, double emmaShare, long emmaBytes, long nativeBytes,
                               long nativeBytesBeforeActivation, long uncoveredBytes,
                               long liveBytes, long liveAllocations, long mappedBytes, long residentBytes,
                               long returnedBytes, long returnFailures,
                               long totalAllocations, long totalReallocations, long totalFrees, long foreignFrees,
                               long fallbacks, long failedFrees,
                               long directBufferAllocations, long directBufferLiveBytes,
                               long ffmAllocations, long ffmLiveBytes,
                               long linkerAllocations, long linkerLiveBytes,
                               long unsafeAllocations, long unsafeLiveBytes,
                               long jdkInternalAllocations, long jdkInternalBytes) {

    /** The periodic log line: one line, human-readable. */
    public String toLogLine() {
        return "emma-agent: mode=" + mode + " live=" + Bytes.format(liveBytes) + " in " + liveAllocations + " blocks"
                + " (direct " + Bytes.format(directBufferLiveBytes) + ", ffm " + Bytes.format(ffmLiveBytes)
                + ", linker " + Bytes.format(linkerLiveBytes) + ", unsafe " + Bytes.format(unsafeLiveBytes) + ")"
                + " emmaShare=" + String.format(Locale.ROOT, "%.1f%%", emmaShare * 100)
                + " (emma " + Bytes.format(emmaBytes) + ", native " + Bytes.format(nativeBytes)
                + ": before activation " + Bytes.format(nativeBytesBeforeActivation)
                + ", uncovered Linker " + Bytes.format(uncoveredBytes) + ")"
                + " mapped=" + Bytes.format(mappedBytes) + " resident=" + Bytes.format(residentBytes)
                + " returned=" + Bytes.format(returnedBytes) + " returnFailures=" + returnFailures
                + " allocations=" + totalAllocations + " (direct=" + directBufferAllocations + " ffm=" + ffmAllocations
                + " linker=" + linkerAllocations + " unsafe=" + unsafeAllocations + " jdk=" + jdkInternalAllocations
                + ") reallocations=" + totalReallocations
                + " frees=" + totalFrees + " foreignFrees=" + foreignFrees + " fallbacks=" + fallbacks
                + " failedFrees=" + failedFrees;
    }
}
