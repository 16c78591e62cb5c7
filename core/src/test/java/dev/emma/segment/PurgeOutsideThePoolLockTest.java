package dev.emma.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/**
 * The purge's syscalls run outside the pool's lock ({@link SegmentPool#purge}): a thread that needs
 * a page never waits for a purge's {@code madvise}s, nor, when the purger is preempted, for it to run
 * again (ThreadChurn with 16 threads on 2 cores and a 50 ms purge delay: 254-631 threads/s before,
 * 396-759 after).
 * Sampled: the purging thread's stack and held monitors are read while it purges dirty pages (and
 * retires the segments they leave wholly free), until enough samples fall inside {@link Mapper#purge}
 * or {@link Mapper#retire}; none of them may hold the pool's monitor. On the old code every one did.
 */
class PurgeOutsideThePoolLockTest {
    private static final int SAMPLES_WANTED = 20;

    @Test
    void noMadviseRunsUnderThePoolLock() throws Exception {
        SegmentPool pool = new SegmentPool(new Mapper(new SegmentMap(), 1L << 40));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int inPurge = 0;
        int underLock = 0;
        for (int round = 0; round < 2000 && inPurge < SAMPLES_WANTED; round++) {
            dirtyFreePages(pool, 60);
            Thread purger = Thread.ofPlatform().start(() -> pool.purge(System.nanoTime(), 0));
            while (purger.isAlive()) {
                ThreadInfo info = mx.getThreadInfo(new long[] {purger.threadId()}, true, false)[0];
                if (info == null || !inMapperSyscall(info.getStackTrace())) {
                    continue;
                }
                inPurge++;
                for (MonitorInfo m : info.getLockedMonitors()) {
                    if (m.getIdentityHashCode() == System.identityHashCode(pool)) {
                        underLock++;
                    }
                }
            }
            purger.join();
        }
        assertTrue(inPurge > 0, "no sample fell inside Mapper.purge or retire in 2000 purges");
        assertEquals(0, underLock, underLock + " of " + inPurge + " samples inside Mapper.purge or retire held the pool's lock");
        pool.close();
    }

    /** Takes {@code count} medium pages, writes all of each, and gives them back: free and resident. */
    private static void dirtyFreePages(SegmentPool pool, int count) {
        for (long page : WrittenPages.take(pool, count)) {
            pool.releasePage(page);
        }
    }

    private static boolean inMapperSyscall(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            if (e.getClassName().equals(Mapper.class.getName())
                    && (e.getMethodName().equals("purge") || e.getMethodName().equals("retire"))) {
                return true;
            }
        }
        return false;
    }
}
