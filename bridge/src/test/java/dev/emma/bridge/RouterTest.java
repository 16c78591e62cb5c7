package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final long FOREIGN = 0x5555_0000_1000L;

    private final RecordingBlocks blocks = new RecordingBlocks();
    private final List<String> faults = new ArrayList<>();
    private final Router emma = Router.emma(blocks, (what, cause) -> faults.add(what));
    private final Router passthrough = Router.passthrough((what, cause) -> faults.add(what));

    @Test
    void newMemoryComesFromEmmaAndTheJdkKeepsItsAnswersForSizesBelowOne() {
        assertEquals(RecordingBlocks.BASE, emma.allocate(100));
        assertEquals(Router.NOT_HANDLED, emma.allocate(0));
        assertEquals(Router.NOT_HANDLED, emma.allocate(-1));
        assertEquals(List.of("allocate 100"), blocks.calls);
        assertEquals(1, emma.counters().allocations());
    }

    @Test
    void emmaFailingToAllocateFallsBackToTheNativeAllocator() {
        blocks.failure = new IllegalStateException("mmap failed");
        assertEquals(Router.NOT_HANDLED, emma.allocate(100));
        assertEquals(1, emma.counters().fallbacks());
        assertEquals(1, faults.size());
        emma.allocatedNatively(FOREIGN, 100);
        assertEquals(1, emma.counters().allocations());
    }

    @Test
    void emmaBlocksAreFreedByEmmaAndForeignOnesByTheJdk() {
        long address = emma.allocate(64);
        assertTrue(emma.free(address));
        assertFalse(emma.free(FOREIGN));
        assertFalse(emma.free(0));
        assertEquals(List.of("allocate 64", "free 0x" + Long.toHexString(address)), blocks.calls);
        RouteCounters.Snapshot counters = emma.counters();
        assertEquals(2, counters.frees());
        assertEquals(1, counters.foreignFrees());
    }

    @Test
    void aFreeNeverThrowsAndNeverHandsEmmaMemoryToLibc() {
        long address = emma.allocate(64);
        blocks.failure = new IllegalStateException("double free");
        assertTrue(emma.free(address), "an Emma address must not reach the original free");
        assertEquals(1, emma.counters().failedFrees());
        assertEquals(1, faults.size());
    }

    @Test
    void aFreeSurvivesAReporterThatThrows() {
        Router router = Router.emma(blocks, (what, cause) -> {
            throw new IllegalStateException("logging broke");
        });
        long address = router.allocate(64);
        blocks.failure = new IllegalStateException("double free");
        assertTrue(router.free(address));
    }

    @Test
    void reallocationRules() {
        long address = emma.allocate(16);
        long moved = emma.reallocate(address, 5000);
        assertTrue(blocks.owns(moved));
        assertEquals(0, emma.reallocate(moved, 0), "size 0 frees");
        assertEquals(Router.NOT_HANDLED, emma.reallocate(FOREIGN, 100), "a foreign block stays foreign");
        assertEquals(Router.NOT_HANDLED, emma.reallocate(address, -1), "the JDK rejects a negative size");
        assertTrue(blocks.owns(emma.reallocate(0, 32)), "address 0 allocates");
        assertEquals(Router.NOT_HANDLED, emma.reallocate(0, 0));
        assertEquals(List.of("allocate 16", "reallocate 0x" + Long.toHexString(address) + " 5000",
                "free 0x" + Long.toHexString(moved), "allocate 32"), blocks.calls);
        assertEquals(1, emma.counters().reallocations());
    }

    @Test
    void reallocatingAnEmmaBlockPropagatesEmmasOutOfMemory() {
        long address = emma.allocate(16);
        blocks.failure = new IllegalStateException("cannot grow");
        assertThrows(IllegalStateException.class, () -> emma.reallocate(address, 1 << 30));
    }

    @Test
    void directBuffersGetZeroedEmmaMemory() {
        long address = emma.allocateDirectZeroed(16384);
        assertTrue(emma.owns(address));
        assertEquals(List.of("allocateZeroed 16384"), blocks.calls);
        assertEquals(1, emma.counters().directBuffers());
        assertEquals(0, passthrough.allocateDirectZeroed(16384), "passthrough allocates natively");
        assertEquals(1, passthrough.counters().directBuffers());
    }

    @Test
    void passthroughCountsLiveNativeBlocksAndForeignFrees() {
        assertEquals(Router.NOT_HANDLED, passthrough.allocate(100));
        passthrough.allocatedNatively(0x1000, 100);
        passthrough.allocatedNatively(0x2000, 50);
        passthrough.reallocatedNatively(0x2000, 0x3000, 70);
        assertEquals(new Router.NativeLive(170, 2), passthrough.nativeLive());
        assertFalse(passthrough.free(0x1000));
        assertFalse(passthrough.free(FOREIGN));
        RouteCounters.Snapshot counters = passthrough.counters();
        assertEquals(2, counters.allocations());
        assertEquals(1, counters.reallocations());
        assertEquals(2, counters.frees());
        assertEquals(1, counters.foreignFrees());
        assertEquals(new Router.NativeLive(70, 1), passthrough.nativeLive());
        assertFalse(passthrough.owns(0x3000));
    }

    @Test
    void pathsAreAttributed() {
        emma.allocateDirectZeroed(10);
        emma.countSegment();
        emma.allocate(10);
        emma.allocate(10);
        RouteCounters.Snapshot counters = emma.counters();
        assertEquals(3, counters.allocations());
        assertEquals(1, counters.directBuffers());
        assertEquals(1, counters.segments());
        assertEquals(1, counters.otherUnsafe());
    }

    @Test
    void inactiveRoutesNothingAndCountsNothing() {
        Router inactive = Router.INACTIVE;
        assertEquals(Router.NOT_HANDLED, inactive.allocate(100));
        assertEquals(Router.NOT_HANDLED, inactive.reallocate(FOREIGN, 100));
        assertFalse(inactive.free(FOREIGN));
        assertEquals(0, inactive.allocateDirectZeroed(100));
        inactive.allocatedNatively(FOREIGN, 100);
        assertEquals(0, inactive.counters().allocations());
        assertEquals("off", inactive.mode().optionValue());
    }
}
