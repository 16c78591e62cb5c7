package dev.emma.it.app;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** FFM arenas through the agent: confined, shared and automatic. */
final class ArenaScenarios {

    private ArenaScenarios() {
    }

    static void arenas(boolean emma) throws Exception {
        long before = AgentProbe.attribute("FfmAllocations");
        int allocations = 0;
        for (Arena arena : new Arena[] {Arena.ofConfined(), Arena.ofShared()}) {
            try (arena) {
                allocations += allocateAndCheck(arena, emma);
            }
        }
        allocations += allocateAndCheck(Arena.ofAuto(), emma);
        long counted = AgentProbe.attribute("FfmAllocations") - before;
        Check.that(counted >= allocations, "FfmAllocations grew by " + counted + " for " + allocations + " segments");
    }

    private static int allocateAndCheck(Arena arena, boolean emma) {
        long[][] shapes = {{1000, 1}, {64, 64}, {4096, 4096}, {(1 << 20) + 8, 8}, {24, 256}};
        for (long[] shape : shapes) {
            MemorySegment segment = arena.allocate(shape[0], shape[1]);
            Check.equal(0, segment.address() % shape[1], "alignment of a segment aligned to " + shape[1]);
            for (long i = 0; i < shape[0]; i++) {
                if (segment.get(ValueLayout.JAVA_BYTE, i) != 0) {
                    throw new AssertionError("segment of " + shape[0] + " bytes not zero at " + i);
                }
            }
            segment.fill((byte) 7);
            Check.that(segment.get(ValueLayout.JAVA_BYTE, shape[0] - 1) == 7, "segment content");
            if (emma) {
                Check.that(AgentProbe.emmaOwns(segment.address()), "a segment of " + shape[0] + " bytes is not Emma's");
            }
        }
        return shapes.length;
    }
}
