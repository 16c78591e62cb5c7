package dev.emma.bridge.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveSamplesTest {

    private final LiveSamples table = new LiveSamples();
    private final RecordingSink sink = new RecordingSink();

    @Test
    void blocksThatCollideProbeOnUpToTheWindowThenAreDropped() {
        List<Long> colliding = collidingAddresses(LiveSamples.PROBES + 1);
        for (int i = 0; i < LiveSamples.PROBES; i++) {
            assertTrue(table.put(colliding.get(i), "s" + i, 100 + i, sink));
        }
        assertFalse(table.put(colliding.getLast(), "dropped", 1, sink), "every probe taken");
        assertEquals(1, table.dropped());
        assertEquals(LiveSamples.PROBES, table.size());

        // frees find displaced blocks too, in any order
        for (int i = LiveSamples.PROBES - 1; i >= 0; i--) {
            table.remove(colliding.get(i), sink);
        }
        assertEquals(LiveSamples.PROBES, sink.released.size());
        assertEquals("s15 115", sink.released.getFirst());
        assertEquals(0, table.size());
    }

    @Test
    void anAddressSampledAgainReplacesTheBlockFreedUnseen() {
        long address = 0x7f00_0000_1000L;
        table.put(address, "old", 10, sink);
        table.put(address, "new", 20, sink);

        assertEquals(List.of("old 10"), sink.released);
        table.remove(address, sink);
        assertEquals(List.of("old 10", "new 20"), sink.released);
        assertEquals(0, table.size());
    }

    @Test
    void aSlotFreedIsReusedAndAFreeOfAnotherAddressInItLeavesItAlone() {
        List<Long> colliding = collidingAddresses(2);
        table.put(colliding.get(0), "a", 1, sink);
        table.remove(colliding.get(1), sink);
        assertEquals(List.of(), sink.released);
        table.remove(colliding.get(0), sink);
        table.put(colliding.get(1), "b", 2, sink);
        assertEquals(1, table.size());
    }

    /** 16-byte aligned addresses that all hash to the same slot. */
    private static List<Long> collidingAddresses(int count) {
        List<Long> found = new ArrayList<>();
        long base = 0x7f00_0000_0000L;
        int slot = LiveSamples.slot(base);
        for (long a = base; found.size() < count; a += 16) {
            if (LiveSamples.slot(a) == slot) {
                found.add(a);
            }
        }
        return found;
    }
}
