package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    }

    @Test
    void theHotPathCountsNothingItself() {
        long address = emma.allocate(100);
        assertTrue(emma.free(address));
        RouterReading reading = emma.reading();
        assertEquals(0, reading.nativeAllocations() + reading.foreignFrees() + reading.fallbacks() + reading.reallocations());
        assertNull(reading.sample(), "emma mode keeps no sample");
    }

    @Test
    void aFallbackIsReportedTheFirstTimeAndCountedEveryTimeOnce() {
        blocks.failure = new IllegalStateException("mmap failed");
        assertEquals(Router.NOT_HANDLED, emma.allocate(100));
        emma.allocatedNatively(FOREIGN, 100);
        assertEquals(Router.NOT_HANDLED, emma.allocate(200));
        emma.allocatedNatively(FOREIGN + 4096, 200);
        RouterReading reading = emma.reading();
        assertEquals(2, reading.fallbacks());
        assertEquals(2, reading.nativeAllocations());
        assertEquals(300, reading.nativeBytes());
        assertEquals(1, faults.size(), faults.toString());
        assertTrue(faults.get(0).contains("first fallback"), faults.get(0));
    }

    @Test
    void aDirectBufferFallbackIsCountedOnceByTheUnsafePathItFallsBackTo() {
        blocks.failure = new IllegalStateException("mmap failed");
        assertEquals(0, emma.allocateDirectZeroed(4096), "the caller allocates through Unsafe instead");
        assertEquals(0, emma.reading().fallbacks());
        assertEquals(Router.NOT_HANDLED, emma.allocate(4096)); // what DirectBufferBridge's fallback runs into
        assertEquals(1, emma.reading().fallbacks());
        assertEquals(0, emma.reading().route(Route.DIRECT).allocations(), "counted once the buffer has its memory");
        emma.directAllocated(4096); // DirectBufferBridge, once the native allocation returned
        assertEquals(1, emma.reading().route(Route.DIRECT).allocations());
    }

    @Test
    void aDirectBufferWhoseAllocationThrowsIsNeverCounted() {
        // No Cleaner will ever run for it: counted, it stayed live for good.
        Router limited = Router.emma(new LimitedBlocks(blocks, 100, (what, cause) -> faults.add(what)), (what, cause) -> faults.add(what));
        assertThrows(MallocLimitExceeded.class, () -> limited.allocateDirectZeroed(4096));
        assertEquals(new RouterReading.RouteFigures(0, 0, 0), limited.reading().route(Route.DIRECT));
    }

    @Test
    void emmaBlocksAreFreedByEmmaAndForeignOnesByTheJdk() {
        long address = emma.allocate(64);
        assertTrue(emma.free(address));
        assertFalse(emma.free(FOREIGN));
        assertFalse(emma.free(0));
        assertEquals(List.of("allocate 64", "free 0x" + Long.toHexString(address)), blocks.calls);
        assertEquals(1, emma.reading().foreignFrees());
    }

    @Test
    void aFreeNeverThrowsAndNeverHandsEmmaMemoryToLibc() {
        long address = emma.allocate(64);
        blocks.failure = new IllegalStateException("double free");
        assertTrue(emma.free(address), "an Emma address must not reach the original free");
        assertEquals(1, emma.reading().failedFrees());
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
        assertEquals(1, emma.reading().reallocations());
    }

    @Test
    void sizesTheJdkRejectsAreLeftToItAndAreNoFallback() {
        long address = emma.allocate(16);
        assertEquals(Router.NOT_HANDLED, emma.allocate(Long.MAX_VALUE), "its rounding to 8 bytes overflows");
        assertEquals(Router.NOT_HANDLED, emma.allocateForApplication(Long.MAX_VALUE - 3));
        assertEquals(Router.NOT_HANDLED, emma.reallocate(address, Long.MAX_VALUE));
        assertEquals(List.of("allocate 16"), blocks.calls);
        assertEquals(0, emma.reading().fallbacks());
        assertEquals(List.of(), faults);
    }

    @Test
    void anEmmaBlockThatCannotGrowGetsTheJdksOutOfMemoryAndStaysAsItWas() {
        long address = emma.allocate(16);
        blocks.failure = new OutOfMemoryError("Emma: cannot allocate 1125899906842624 bytes");
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> emma.reallocate(address, 1L << 50));
        assertEquals("Unable to allocate 1125899906842624 bytes", e.getMessage(), "the JDK's own message");
        assertEquals("Emma: cannot allocate 1125899906842624 bytes", e.getCause().getMessage());
        blocks.failure = null;
        assertTrue(emma.free(address));
        assertEquals(0, emma.reading().reallocations());
    }

    /** realloc keeps C's contract: NULL for a failure, with the block still valid, and never a Java exception. */
    @Test
    void aLinkerReallocThatFailsReturnsNullAndKeepsTheBlock() {
        long address = emma.linkerAllocate(100, 0, false);
        assertEquals(0, emma.linkerReallocate(address, -1), "a size_t of 2^63 or more");
        blocks.failure = new OutOfMemoryError("Emma: cannot allocate");
        assertEquals(0, emma.linkerReallocate(address, 1L << 50));
        blocks.failure = new IllegalArgumentException("not the start of a live block");
        assertEquals(0, emma.linkerReallocate(address, 200));
        assertEquals(1, faults.size(), "the rejected realloc is reported");
        blocks.failure = null;
        assertEquals(List.of("allocate 100", "reallocate 0x" + Long.toHexString(address) + " 1125899906842624",
                "reallocate 0x" + Long.toHexString(address) + " 200"), blocks.calls, "no free: the block stayed valid");
        assertEquals(Router.NOT_HANDLED, emma.linkerReallocate(0, 0), "realloc(NULL, 0) is libc's malloc(0)");
        assertEquals(Router.NOT_HANDLED, emma.linkerReallocate(0, -1));
        assertEquals(0, emma.linkerReallocate(address, 0), "realloc(p, 0) frees p");
        assertEquals("free 0x" + Long.toHexString(address), blocks.calls.get(blocks.calls.size() - 1));
    }

    @Test
    void reallocatingAnEmmaBlockPropagatesEmmasOutOfMemory() {
        long address = emma.allocate(16);
        blocks.failure = new IllegalStateException("cannot grow");
        assertThrows(IllegalStateException.class, () -> emma.reallocate(address, 1 << 30));
    }

    @Test
    void directBuffersGetZeroedEmmaMemoryAndTheirLiveBytesFollowTheirCleaners() {
        long address = emma.allocateDirectZeroed(16384);
        assertTrue(emma.owns(address));
        assertEquals(List.of("allocateZeroed 16384"), blocks.calls);
        emma.directAllocated(16384);
        emma.allocateDirectZeroed(100);
        emma.directAllocated(100);
        emma.directFreed(16384);
        assertEquals(new RouterReading.RouteFigures(2, 16484, 100), emma.reading().route(Route.DIRECT));
        assertEquals(0, passthrough.allocateDirectZeroed(16384), "passthrough allocates natively");
        passthrough.directAllocated(16384);
        assertEquals(1, passthrough.reading().route(Route.DIRECT).allocations());
    }

    @Test
    void arenaBlocksAreAttributedToTheFfmRoute() {
        emma.segmentAllocated(1000);
        emma.segmentAllocated(24);
        emma.segmentFreed(1000);
        assertEquals(new RouterReading.RouteFigures(2, 1024, 24), emma.reading().route(Route.FFM));
    }

    @Test
    void routeLiveBytesNeverGoBelowZeroWhenBlocksFromBeforeActivationAreFreed() {
        emma.directFreed(4096);
        assertEquals(0, emma.reading().route(Route.DIRECT).liveBytes());
    }

    @Test
    void passthroughLeavesEveryBlockToTheJdkAndEstimatesFromItsSample() {
        assertEquals(Router.NOT_HANDLED, passthrough.allocate(100));
        passthrough.allocatedNatively(0x10_0000, 1 << 20); // big blocks are always in the sample
        passthrough.allocatedNatively(0x20_0000, 1 << 17);
        assertEquals(Router.NOT_HANDLED, passthrough.reallocate(0x20_0000, 1 << 18));
        passthrough.reallocatedNatively(0x20_0000, 0x30_0000, 1 << 18);
        assertFalse(passthrough.free(0x10_0000));
        assertFalse(passthrough.free(FOREIGN));
        RouterReading.SampleFigures sample = passthrough.reading().sample();
        assertEquals(1 << 18, sample.liveBytes());
        assertEquals(1, sample.liveBlocks());
        assertEquals((1 << 20) + (1 << 17) + (1 << 18), sample.allocatedBytes());
        assertEquals(1, passthrough.reading().reallocations());
        assertFalse(passthrough.owns(0x30_0000));
    }

    @Test
    void inactiveRoutesNothingAndCountsNothing() {
        Router inactive = Router.INACTIVE;
        assertEquals(Router.NOT_HANDLED, inactive.allocate(100));
        assertEquals(Router.NOT_HANDLED, inactive.reallocate(FOREIGN, 100));
        assertFalse(inactive.free(FOREIGN));
        assertEquals(0, inactive.allocateDirectZeroed(100));
        inactive.allocatedNatively(FOREIGN, 100);
        inactive.directAllocated(100);
        inactive.directFreed(100);
        assertEquals(new RouterReading.RouteFigures(0, 0, 0), inactive.reading().route(Route.DIRECT));
        assertEquals(0, inactive.reading().nativeAllocations());
        assertEquals("off", inactive.mode().optionValue());
    }

    @Test
    void aLinkerBlockFreedThroughUnsafeLeavesTheLinkerRoute() {
        long address = emma.linkerAllocate(1 << 16, 0, false); // 64 KiB: always in the sample
        assertEquals(1 << 16, emma.reading().route(Route.LINKER).liveBytes());
        assertTrue(emma.free(address), "Emma frees its block, whichever route frees it");
        assertEquals(0, emma.reading().route(Route.LINKER).liveBytes());
    }

    @Test
    void linkerBlocksComeFromEmmaAndForeignOnesStayWithLibc() {
        long big = 1 << 16; // blocks of 64 KiB and more are counted exactly (smaller ones are sampled)
        long address = emma.linkerAllocate(big, 0, false);
        assertTrue(blocks.owns(address));
        assertTrue(blocks.owns(emma.linkerAllocate(big, 0, true)));
        assertTrue(blocks.owns(emma.linkerAllocate(big, 4096, false)));
        assertEquals(List.of("allocate " + big, "allocateZeroed " + big, "allocateAligned " + big + " 4096"), blocks.calls);
        assertEquals(RecordingBlocks.USABLE, emma.linkerUsableSize(address));
        assertEquals(-1, emma.linkerUsableSize(FOREIGN));
        assertTrue(emma.linkerFree(address));
        assertFalse(emma.linkerFree(FOREIGN));
        assertEquals(Router.NOT_HANDLED, emma.linkerReallocate(FOREIGN, 10), "libc resizes its own blocks");
        assertEquals(0, emma.linkerAllocate(0, 0, false), "libc answers malloc(0)");
        assertEquals(new RouterReading.RouteFigures(3, 3 * big, 2 * big), emma.reading().route(Route.LINKER));
        assertEquals(1, emma.reading().foreignFrees());
    }

    @Test
    void aLinkerFallbackIsCountedAsNativeBytes() {
        blocks.failure = new IllegalStateException("mmap failed");
        assertEquals(0, emma.linkerAllocate(100, 0, false));
        emma.linkerAllocatedNatively(FOREIGN, 100);
        RouterReading reading = emma.reading();
        assertEquals(1, reading.fallbacks());
        assertEquals(100, reading.nativeBytes());
    }

    /**
     * Router.countReallocated counts a moved block unless the core counted it as a size class's
     * block: it tells them apart by where a block lies in its segment. Every class's blocks (the
     * first in a page and later ones, in each page kind) are in page areas; a block in a mapping
     * of its own, over 1 MiB or not, is not.
     */
    @Test
    void aSizeClassBlockIsInAPageAreaAndABlockInAMappingOfItsOwnIsNot() {
        try (dev.emma.Emma real = dev.emma.Emma.create()) {
            for (int c = 0; c < dev.emma.page.SizeClasses.COUNT; c++) {
                long size = dev.emma.page.SizeClasses.blockSize(c);
                for (int i = 0; i < 3; i++) {
                    long block = real.allocate(size);
                    assertTrue(Router.inPageArea(block, size), "class " + c + " block " + i + " at 0x" + Long.toHexString(block));
                }
            }
            long huge = real.allocate(2L << 20);
            assertFalse(Router.inPageArea(huge, 2L << 20));
            // a block grown past 32 KiB moves into a mapping of its own of less than 1 MiB
            long grown = real.reallocate(real.allocate(16 * 1024), 512 * 1024);
            assertFalse(Router.inPageArea(grown, 512 * 1024));
        }
    }
}
