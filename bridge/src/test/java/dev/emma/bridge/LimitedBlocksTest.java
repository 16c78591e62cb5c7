package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitedBlocksTest {

    private final RecordingBlocks blocks = new RecordingBlocks(); // every block: 4096 usable bytes
    private final List<String> faults = new ArrayList<>();
    private final LimitedBlocks limited = new LimitedBlocks(blocks, 3 * RecordingBlocks.USABLE, (what, cause) -> faults.add(what));

    @Test
    void allocationsOverTheLimitGetTheJdksOutOfMemoryError() {
        limited.allocate(4096);
        limited.allocate(4096);
        limited.allocate(4096);
        MallocLimitExceeded refused = assertThrows(MallocLimitExceeded.class, () -> limited.allocate(100));
        assertEquals("Unable to allocate 104 bytes", refused.getMessage(), "the JDK's message, its size rounded to 8");
        assertEquals(1, faults.size());
        assertEquals(3 * RecordingBlocks.USABLE, limited.liveBytes());
    }

    @Test
    void freesMakeRoomAgain() {
        long first = limited.allocate(4096);
        limited.allocate(4096);
        limited.allocate(4096);
        assertTrue(limited.free(first));
        limited.allocate(4096);
        assertEquals(3 * RecordingBlocks.USABLE, limited.liveBytes());
    }

    @Test
    void theRouterLetsTheLimitThroughInsteadOfFallingBack() {
        Router router = Router.emma(new LimitedBlocks(blocks, 4096, (what, cause) -> { }), (what, cause) -> { });
        router.allocate(4096);
        assertThrows(MallocLimitExceeded.class, () -> router.allocate(4096));
        assertThrows(MallocLimitExceeded.class, () -> router.allocateDirectZeroed(4096));
        assertEquals(0, router.reading().fallbacks());
    }

    @Test
    void aFailedAllocationGivesBackItsReservation() {
        blocks.failure = new IllegalStateException("mmap failed");
        assertThrows(IllegalStateException.class, () -> limited.allocate(4096));
        assertEquals(0, limited.liveBytes());
    }
}
