package dev.emma.agent.install;

/** {@link FakeUnsafe}'s methods with other bodies: a "JDK" whose code differs from the one a patch was made for. */
public class FakeUnsafeVariant {

    public int originalRuns;

    public long allocateMemory(long bytes) {
        originalRuns += 2;
        return 0x3333_0000L + bytes;
    }

    public long reallocateMemory(long address, long bytes) {
        originalRuns++;
        return 0x2222_0000L;
    }

    public void freeMemory(long address) {
        originalRuns++;
    }
}
