package dev.emma.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.emma.EmmaConfig;
import dev.emma.memory.Memory;
import dev.emma.os.SyscallException;
import dev.emma.segment.FailingKernel;
import dev.emma.segment.FailingKernel.Call;
import dev.emma.segment.Layout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * trim() and the purger thread when a syscall of the pool's purge fails: trim() throws it and keeps
 * no lock; the purger survives it, goes on with the rest of its work (the huge blocks' cache), and
 * purges again once the syscall works. Before, a pool purge that failed skipped the huge blocks'
 * purge of that tick, so a failure that lasted kept cached huge mappings forever. And a cached huge
 * mapping whose munmap fails stays cached and usable; before, the cache went on listing the ones
 * already unmapped (the next allocation of that size handed one out: SIGSEGV).
 */
class PurgeFailureTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    @Test
    void aFailedTrimKeepsNoLock() throws Exception {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), HandOverHooks.NONE,
                FailingKernel.mapper(kernel, 0));
        long held = allocator.allocate(1024);
        dirtyPagesOfADeadThread(allocator);
        kernel.fail(Call.MADVISE, FailingKernel.EINVAL, 0, Integer.MAX_VALUE);

        allocator.onReturnFailure(failure -> fail("a failed trim throws to its caller, not to the listener: " + failure));
        assertThrows(SyscallException.class, allocator::trim);
        assertTrue(kernel.failures(Call.MADVISE) > 0);
        assertEquals(1, allocator.stats().returnFailures(), "the failed trim is counted");
        kernel.heal();
        // Another thread trims (the purging lock, then the pool's) and takes a page of a new class (the pool's).
        Thread other = Thread.ofPlatform().daemon(true).start(() -> {
            allocator.trim();
            allocator.free(allocator.allocate(100_000));
        });
        other.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(other.isAlive(), "the other thread is blocked: the failed trim kept a lock");
        assertFalse(kernel.madvised().isEmpty(), "its trim returned the pages");
        assertEquals(1, allocator.stats().returnFailures(), "trims that worked count nothing");
        allocator.free(held);
        allocator.close();
    }

    @Test
    void thePurgerSurvivesAFailingSyscallAndStopsNothingElse() throws Exception {
        FailingKernel kernel = new FailingKernel().fail(Call.MADVISE, FailingKernel.EINVAL, 0, Integer.MAX_VALUE);
        Allocator allocator = new Allocator(EmmaConfig.defaults().withPurgeDelay(Duration.ofMillis(20)),
                HandOverHooks.NONE, FailingKernel.mapper(kernel, 0));
        long held = allocator.allocate(1024); // keeps the segment from being retired whole: pages are madvised
        dirtyPagesOfADeadThread(allocator);
        await(() -> kernel.failures(Call.MADVISE) > 0, "the purger reached the failing madvise");

        // From now on every purge of the pool fails; the huge blocks' cache must still be purged.
        long huge = allocator.allocate(2 << 20); // a huge block in one granule
        long base = Layout.segmentOf(huge);
        allocator.free(huge); // kept in the cache, unmapped once idle for the purge delay
        await(() -> kernel.unmapped().contains(base), "the cached huge mapping was unmapped despite the failing pool");
        int failures = kernel.failures(Call.MADVISE);
        assertTrue(failures > 1, "the purger went on after a failure: " + failures);

        kernel.heal();
        await(() -> !kernel.madvised().isEmpty(), "the purger returned the pages once madvise worked again");
        allocator.free(held);
        allocator.close();
    }

    /**
     * The listener throws after each failure it hears, which must not stop the purger: an Error
     * too ("a listener that throws is ignored"; an Error ended the purger's thread, found by review).
     */
    @ParameterizedTest(name = "the listener throws an Error: {0}")
    @ValueSource(booleans = {false, true})
    void everyFailedBackgroundPurgeIsCountedAndReachesTheListener(boolean error) throws Exception {
        FailingKernel kernel = new FailingKernel().fail(Call.MADVISE, FailingKernel.EINVAL, 0, Integer.MAX_VALUE);
        Allocator allocator = new Allocator(EmmaConfig.defaults().withPurgeDelay(Duration.ofMillis(20)),
                HandOverHooks.NONE, FailingKernel.mapper(kernel, 0));
        List<Throwable> heard = new CopyOnWriteArrayList<>();
        allocator.onReturnFailure(failure -> {
            heard.add(failure);
            if (error) {
                throw new AssertionError("a listener's own Error");
            }
            throw new IllegalStateException("a listener's own fault");
        });
        assertEquals(0, allocator.stats().returnFailures());
        long held = allocator.allocate(1024); // keeps the segment from being retired whole: pages are madvised
        dirtyPagesOfADeadThread(allocator);

        await(() -> heard.size() >= 3, "three failed purges heard (the listener threw after each)");
        assertTrue(heard.get(0) instanceof SyscallException, "the kernel's refusal: " + heard.get(0));
        assertTrue(heard.get(0).getMessage().contains("madvise") && heard.get(0).getMessage().contains("errno " + FailingKernel.EINVAL),
                heard.get(0).getMessage());
        assertTrue(allocator.stats().returnFailures() >= 3, "counted: " + allocator.stats().returnFailures());

        kernel.heal();
        await(() -> !kernel.madvised().isEmpty(), "the purger returned the pages once madvise worked again");
        long counted = allocator.stats().returnFailures();
        int told = heard.size();
        Thread.sleep(200); // some 40 more purges, all working
        assertEquals(counted, allocator.stats().returnFailures(), "purges that work count nothing");
        assertEquals(told, heard.size(), "nor are they heard");
        allocator.free(held);
        allocator.close();
    }

    /** A failed munmap in the huge blocks' purge is counted too (review: nothing pinned that count). */
    @Test
    void aFailedHugePurgeIsCounted() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), HandOverHooks.NONE,
                FailingKernel.mapper(kernel, 0));
        allocator.free(allocator.allocate(2 << 20)); // cached
        kernel.fail(Call.MUNMAP, FailingKernel.EINVAL, 0, 1);
        assertThrows(SyscallException.class, allocator::trim);
        assertEquals(1, allocator.stats().returnFailures(), "the failed huge purge is counted");
        allocator.close();
    }

    @Test
    void aCachedHugeMappingWhoseMunmapFailedStaysCachedAndUsable() {
        FailingKernel kernel = new FailingKernel();
        Allocator allocator = new Allocator(EmmaConfig.defaults().withBackgroundPurge(false), HandOverHooks.NONE,
                FailingKernel.mapper(kernel, 0));
        long size = 2 << 20; // a huge block in one granule: cached when freed
        long a = allocator.allocate(size);
        long b = allocator.allocate(size);
        allocator.free(a);
        allocator.free(b);
        kernel.fail(Call.MUNMAP, FailingKernel.EINVAL, 1, 1); // the cache's second munmap
        int unmapped = kernel.unmapped().size();

        assertThrows(SyscallException.class, allocator::trim);
        assertEquals(unmapped + 1, kernel.unmapped().size(), "one of the two went back");
        long c = allocator.allocate(size); // the cached one: mapped and registered
        long d = allocator.allocate(size); // a new mapping: the cache lists no unmapped one
        Memory.fill(c, size, (byte) 1);
        Memory.fill(d, size, (byte) 2);
        allocator.free(c);
        allocator.free(d);
        assertEquals(0, allocator.stats().invalidFrees(), "both freed as blocks of this instance");
        allocator.trim();
        allocator.close();
        assertEquals(0, kernel.netMapped(), "nothing left mapped");
    }

    /** A thread allocates, writes and frees small blocks, then ends: its pages go back to the pool, dirty. */
    private static void dirtyPagesOfADeadThread(Allocator allocator) throws InterruptedException {
        Thread t = Thread.ofPlatform().start(() -> {
            long[] blocks = new long[256];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = allocator.allocate(1024);
                Memory.fill(blocks[i], 1024, (byte) 1);
            }
            for (long b : blocks) {
                allocator.free(b);
            }
        });
        t.join();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 20 s: " + what);
            Thread.sleep(5);
        }
    }
}
