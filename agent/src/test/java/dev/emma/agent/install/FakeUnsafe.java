package dev.emma.agent.install;

/** The shape of the JDK's internal Unsafe memory methods; the bodies count their runs. */
public class FakeUnsafe {

    public int originalRuns;

    public long allocateMemory(long bytes) {
        originalRuns++;
        return 0x1111_0000L;
    }

    public long reallocateMemory(long address, long bytes) {
        originalRuns++;
        return 0x2222_0000L;
    }

    public void freeMemory(long address) {
        originalRuns++;
    }
}
