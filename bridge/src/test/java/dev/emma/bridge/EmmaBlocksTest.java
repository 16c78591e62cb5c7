package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EmmaBlocks.free: true for Emma's addresses (freed, or rejected by Emma), false and untouched for any other. */
class EmmaBlocksTest {

    @Test
    void freesEmmasBlocksAndLeavesOthersAlone() {
        try (Emma emma = Emma.create(); Emma other = Emma.create()) {
            EmmaBlocks blocks = new EmmaBlocks(emma);
            long theirs = other.allocate(64);
            assertFalse(blocks.free(theirs));
            assertFalse(blocks.free(0x5555_0000_1000L));
            assertEquals(0, emma.stats().invalidFrees());
            assertEquals(64, other.usableSize(theirs), "another allocator's block is left live");

            long p = blocks.allocate(64);
            assertTrue(blocks.free(p));
            assertEquals(0, emma.stats().liveBlocks());
            assertTrue(blocks.free(p), "a double free of Emma's block is Emma's, never the native allocator's");
            assertEquals(1, emma.stats().invalidFrees());
            other.free(theirs);
        }
    }

    @Test
    void withSamplingTheHookHearsOfEmmasFreesOnlyAndBeforeTheFree() {
        try (Emma emma = Emma.create(); Emma other = Emma.create()) {
            EmmaBlocks blocks = new EmmaBlocks(emma);
            List<String> freed = new ArrayList<>();
            blocks.sampling(new SampleHook() {
                @Override
                public void allocated(long address, long size, Route route, boolean servedByEmma) {
                }

                @Override
                public void freed(long address) {
                    freed.add(Long.toHexString(address) + " live " + emma.stats().liveBlocks());
                }
            });
            long theirs = other.allocate(64);
            assertFalse(blocks.free(theirs));
            long p = blocks.allocate(64);
            assertTrue(blocks.free(p));
            assertEquals(List.of(Long.toHexString(p) + " live 1"), freed);
            assertEquals(0, emma.stats().liveBlocks());
            other.free(theirs);
        }
    }
}
