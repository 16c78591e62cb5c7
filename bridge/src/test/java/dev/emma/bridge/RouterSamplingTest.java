package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emma.Emma;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hooks for allocation sampling: Emma's blocks are reported by {@link EmmaBlocks} (behind the
 * compilation boundary), the native allocator's by the router; each free comes before the
 * allocator's own, so that an address handed out again is never mistaken for the old block.
 */
class RouterSamplingTest {

    private static final long FOREIGN = 0x5555_0000_1000L;

    private final List<String> calls = new ArrayList<>();
    private final SampleHook hook = new SampleHook() {
        @Override
        public void allocated(long address, long size, Route route, boolean servedByEmma) {
            calls.add("sample 0x" + Long.toHexString(address) + " " + size + " " + route + " " + (servedByEmma ? "emma" : "native"));
        }

        @Override
        public void freed(long address) {
            calls.add("forget 0x" + Long.toHexString(address));
        }
    };

    @Test
    void emmasBlocksAreReportedByTheDoorIntoTheCoreAndFreedOnesBeforeEmmaFreesThem() {
        try (Emma emma = Emma.create()) {
            Router router = Router.emma(new EmmaBlocks(emma), (what, cause) -> { });
            router.free(router.allocateForApplication(64));
            assertEquals(List.of(), calls, "off by default");

            router.sampling(new SampleHook() {
                @Override
                public void allocated(long address, long size, Route route, boolean servedByEmma) {
                    hook.allocated(address, size, route, servedByEmma);
                }

                @Override
                public void freed(long address) {
                    // still live in Emma: the hook hears of a free before Emma may reuse the address
                    calls.add("forget 0x" + hex(address) + " live " + emma.stats().liveBlocks());
                }
            });
            long unsafe = router.allocateForApplication(64);
            long direct = router.allocateDirectZeroed(4096);
            long moved = router.reallocate(unsafe, 8192);
            router.free(direct);
            router.free(moved);

            assertEquals(List.of("sample 0x" + hex(unsafe) + " 64 JDK emma", "sample 0x" + hex(direct) + " 4096 JDK emma",
                    "forget 0x" + hex(unsafe) + " live 2", "sample 0x" + hex(moved) + " 8192 JDK emma",
                    "forget 0x" + hex(direct) + " live 2", "forget 0x" + hex(moved) + " live 1"), calls);
        }
    }

    @Test
    void nativeBlocksAreReportedByTheRouterWithTheirRoute() {
        Router emma = Router.emma(new RecordingBlocks(), (what, cause) -> { });
        emma.sampling(hook);
        emma.allocatedNatively(FOREIGN, 512); // a fallback
        emma.linkerAllocatedNatively(FOREIGN + 4096, 32);
        emma.free(FOREIGN);
        emma.linkerFree(FOREIGN + 4096);

        assertEquals(List.of("sample 0x" + hex(FOREIGN) + " 512 JDK native", "sample 0x" + hex(FOREIGN + 4096) + " 32 LINKER native",
                "forget 0x" + hex(FOREIGN), "forget 0x" + hex(FOREIGN + 4096)), calls);
    }

    @Test
    void passthroughSamplesEveryBlockAndForgetsItOnFreeAndReallocation() {
        Router passthrough = Router.passthrough((what, cause) -> { });
        passthrough.sampling(hook);
        passthrough.allocatedNatively(FOREIGN, 100);
        passthrough.free(FOREIGN);
        passthrough.reallocate(FOREIGN + 64, 200);
        passthrough.sampling(null);
        passthrough.allocatedNatively(FOREIGN, 100);

        assertEquals(List.of("sample 0x" + hex(FOREIGN) + " 100 JDK native", "forget 0x" + hex(FOREIGN), "forget 0x" + hex(FOREIGN + 64)),
                calls);
    }

    private static String hex(long address) {
        return Long.toHexString(address);
    }
}
