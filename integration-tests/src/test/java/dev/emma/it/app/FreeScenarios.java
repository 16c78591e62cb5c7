package dev.emma.it.app;

import java.nio.ByteBuffer;

/** Direct buffers freed by their Cleaner after GC, and explicitly with {@code invokeCleaner}. */
final class FreeScenarios {

    private FreeScenarios() {
    }

    static void freedByGc() throws Exception {
        int buffers = 64;
        long liveBefore = AgentProbe.attribute("DirectBufferLiveBytes"); // exact in both modes
        long allocationsBefore = AgentProbe.attribute("DirectBufferAllocations");
        allocateAndDrop(buffers);
        Check.that(AgentProbe.attribute("DirectBufferAllocations") >= allocationsBefore + buffers, "the buffers are not counted");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (AgentProbe.attribute("DirectBufferLiveBytes") > liveBefore) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError((AgentProbe.attribute("DirectBufferLiveBytes") - liveBefore) + " bytes of " + buffers
                        + " unreachable direct buffers were not freed after GC");
            }
            System.gc();
            Thread.sleep(50);
        }
    }

    private static void allocateAndDrop(int buffers) {
        for (int i = 0; i < buffers; i++) {
            ByteBuffer.allocateDirect(4096).putInt(0, i);
        }
    }

    static void freedByInvokeCleaner() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(10_000);
        long live = AgentProbe.attribute("DirectBufferLiveBytes"); // exact in both modes (TotalFrees is sampled in passthrough)
        Memory.free(buffer);
        Check.that(AgentProbe.attribute("DirectBufferLiveBytes") <= live - 10_000, "invokeCleaner did not free");
    }
}
