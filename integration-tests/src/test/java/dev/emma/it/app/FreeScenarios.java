package dev.emma.it.app;

import java.nio.ByteBuffer;

/** Direct buffers freed by their Cleaner after GC, and explicitly with {@code invokeCleaner}. */
final class FreeScenarios {

    private FreeScenarios() {
    }

    static void freedByGc() throws Exception {
        int buffers = 64;
        long freesBefore = AgentProbe.attribute("TotalFrees");
        allocateAndDrop(buffers);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (AgentProbe.attribute("TotalFrees") - freesBefore < buffers) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + (AgentProbe.attribute("TotalFrees") - freesBefore) + " of " + buffers
                        + " unreachable direct buffers were freed after GC");
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
        long frees = AgentProbe.attribute("TotalFrees");
        long live = AgentProbe.attribute("LiveAllocations");
        Memory.free(buffer);
        Check.that(AgentProbe.attribute("TotalFrees") >= frees + 1, "invokeCleaner did not free");
        Check.that(AgentProbe.attribute("LiveAllocations") <= live - 1, "LiveAllocations did not drop");
    }
}
