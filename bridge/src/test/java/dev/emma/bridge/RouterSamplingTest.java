package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The router's hook for allocation sampling: every route reports its blocks, and each free comes before the allocator's. */
class RouterSamplingTest {

    private static final long FOREIGN = 0x5555_0000_1000L;

    private final RecordingBlocks blocks = new RecordingBlocks();
    private final Router emma = Router.emma(blocks, (what, cause) -> { });
    private final Router passthrough = Router.passthrough((what, cause) -> { });

    /** Writes into the allocator's own call list, so that the order of the two is visible. */
    private final SampleHook hook = new SampleHook() {
        @Override
        public void allocated(long address, long size, Route route, boolean servedByEmma) {
            blocks.calls.add("sample 0x" + Long.toHexString(address) + " " + size + " " + route + " " + (servedByEmma ? "emma" : "native"));
        }

        @Override
        public void freed(long address) {
            blocks.calls.add("forget 0x" + Long.toHexString(address));
        }
    };

    @Test
    void offByDefault() {
        long address = emma.allocateForApplication(64);
        emma.free(address);
        assertEquals(List.of("allocate 64", "free 0x" + Long.toHexString(address)), blocks.calls);
    }

    @Test
    void eachRouteReportsItsBlocksWithWhoServedThem() {
        emma.sampling(hook);
        long unsafe = emma.allocateForApplication(64);
        long jdk = emma.allocate(128);
        long direct = emma.allocateDirectZeroed(4096);
        long linker = emma.linkerAllocate(256, 0, false);
        emma.allocatedNatively(FOREIGN, 512); // a fallback
        emma.linkerAllocatedNatively(FOREIGN + 4096, 32);

        assertTrue(blocks.calls.containsAll(List.of(
                "sample 0x" + Long.toHexString(unsafe) + " 64 UNSAFE emma",
                "sample 0x" + Long.toHexString(jdk) + " 128 JDK emma",
                "sample 0x" + Long.toHexString(direct) + " 4096 DIRECT emma",
                "sample 0x" + Long.toHexString(linker) + " 256 LINKER emma",
                "sample 0x" + Long.toHexString(FOREIGN) + " 512 JDK native",
                "sample 0x" + Long.toHexString(FOREIGN + 4096) + " 32 LINKER native")), blocks.calls.toString());
    }

    @Test
    void aBlockIsForgottenBeforeItsAllocatorMayReuseTheAddress() {
        emma.sampling(hook);
        long address = emma.allocateForApplication(64);
        blocks.calls.clear();

        emma.free(address);
        long linker = emma.linkerAllocate(64, 0, false);
        emma.linkerFree(linker);
        emma.free(FOREIGN);

        String a = Long.toHexString(address);
        String l = Long.toHexString(linker);
        assertEquals(List.of("forget 0x" + a, "free 0x" + a, "allocate 64", "sample 0x" + l + " 64 LINKER emma",
                "forget 0x" + l, "free 0x" + l, "forget 0x" + Long.toHexString(FOREIGN)), blocks.calls);
    }

    @Test
    void aReallocationForgetsTheOldBlockAndSamplesTheNewOne() {
        emma.sampling(hook);
        long address = emma.allocate(64);
        blocks.calls.clear();

        long moved = emma.reallocate(address, 8192);

        assertEquals(List.of("forget 0x" + Long.toHexString(address), "reallocate 0x" + Long.toHexString(address) + " 8192",
                "sample 0x" + Long.toHexString(moved) + " 8192 JDK emma"), blocks.calls);
    }

    @Test
    void passthroughSamplesNativeBlocksAndForgetsThemOnFreeAndReallocation() {
        passthrough.sampling(hook);
        passthrough.allocatedNatively(FOREIGN, 100);
        passthrough.free(FOREIGN);
        passthrough.reallocate(FOREIGN + 64, 200);

        assertEquals(List.of("sample 0x" + Long.toHexString(FOREIGN) + " 100 JDK native", "forget 0x" + Long.toHexString(FOREIGN),
                "forget 0x" + Long.toHexString(FOREIGN + 64)), blocks.calls);
    }

    @Test
    void stoppedSamplingSeesNothingMore() {
        emma.sampling(hook);
        emma.sampling(null);
        long address = emma.allocateForApplication(64);
        emma.free(address);
        assertEquals(List.of("allocate 64", "free 0x" + Long.toHexString(address)), blocks.calls);
    }
}
