package dev.emma.bridge.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SampleIntervalTest {

    private static final long MS = 1_000_000;

    @Test
    void theMeanDoublesOnceASecondsBudgetIsSpentEarly() {
        SampleInterval interval = new SampleInterval();
        for (int i = 0; i < SampleInterval.TARGET_PER_SECOND - 1; i++) {
            interval.sampled(i * MS);
        }
        assertEquals(SampleInterval.START_BYTES, interval.bytes());
        interval.sampled(300 * MS);
        assertEquals(SampleInterval.START_BYTES * 2, interval.bytes());
    }

    @Test
    void aQuietSecondHalvesItButNotBelowTheMinimum() {
        SampleInterval interval = new SampleInterval();
        long now = 0;
        for (int i = 0; i < 40; i++) {
            interval.sampled(now);
            now += 2_000 * MS;
        }
        assertEquals(SampleInterval.MIN_BYTES, interval.bytes());
    }

    @Test
    void aSteadyRateWithinTheBudgetKeepsIt() {
        SampleInterval interval = new SampleInterval();
        long now = 0;
        for (int i = 0; i < 1000; i++) {
            interval.sampled(now);
            now += 10 * MS; // 100 a second
        }
        assertEquals(SampleInterval.START_BYTES, interval.bytes());
    }
}
