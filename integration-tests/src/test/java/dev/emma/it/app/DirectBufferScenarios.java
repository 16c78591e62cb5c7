package dev.emma.it.app;

import java.nio.ByteBuffer;

/** {@code ByteBuffer.allocateDirect} through the agent. */
final class DirectBufferScenarios {

    static final int[] SIZES = {0, 1, 7, 8, 15, 16, 17, 100, 1000, 4096, 16 * 1024, 100_000, 1 << 20, (1 << 20) + 1,
            4 << 20, 64 << 20};

    private DirectBufferScenarios() {
    }

    /** Every size reads as zeros, keeps what is written, and (emma) lives in Emma's memory. */
    static void sizes(boolean emma) throws Exception {
        long directBefore = AgentProbe.attribute("DirectBufferAllocations");
        for (int size : SIZES) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(size);
            Check.equal(size, buffer.capacity(), "capacity");
            Memory.checkZero(buffer, "new direct buffer of " + size + " bytes");
            Memory.fill(buffer, size);
            Memory.checkFilled(buffer, size, "direct buffer of " + size + " bytes");
            if (emma) {
                Check.that(AgentProbe.emmaOwns(AgentProbe.address(buffer)),
                        "a direct buffer of " + size + " bytes is not in Emma's memory");
            }
            Memory.free(buffer);
        }
        long counted = AgentProbe.attribute("DirectBufferAllocations") - directBefore;
        Check.that(counted >= SIZES.length, "DirectBufferAllocations grew by " + counted + " for " + SIZES.length + " buffers");
    }

    /** Memory that was dirty and freed must read as zeros when a new buffer gets it. */
    static void reuseReadsZero(boolean emma) throws Exception {
        for (int size : new int[] {64, 4096, 16 * 1024, 200_000}) {
            for (int round = 0; round < 200; round++) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(size);
                Memory.checkZero(buffer, "round " + round + " of " + size + "-byte buffers");
                Memory.fillWith(buffer, (byte) 0xA5);
                Memory.free(buffer);
            }
        }
    }
}
