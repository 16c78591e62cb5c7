package dev.emma.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.page.SizeClasses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bridge's door straight to Emma's blocks: opened only for the blocks of the active router's
 * own allocator (never under a wrapper such as {@code -XX:MallocLimit}'s), and behind it frees keep
 * the router's rules (foreign addresses counted and left to the original, rejected frees counted and
 * kept from it). The bridge is activated once per JVM, so this is one test, in order.
 */
class BridgeDoorTest {

    @Test
    void opensForTheRoutersOwnAllocatorOnlyAndKeepsTheRoutersRulesOnFrees() {
        try (Emma emma = Emma.create(EmmaConfig.defaults().withChecks(true)); Emma other = Emma.create()) {
            EmmaBlocks blocks = new EmmaBlocks(emma);
            BlockAllocator own = new RecordingBlocks();
            Bridge.started(own, blocks);
            assertNull(Bridge.door(), "no router active yet");
            assertSame(Router.INACTIVE, Bridge.router());
            assertTrue(Bridge.activate(Router.INACTIVE), "activating the inactive router is a no-op");
            assertSame(Router.INACTIVE, Bridge.router());
            assertThrows(NullPointerException.class, () -> Bridge.activate(null));

            Router router = Router.emma(own, (what, cause) -> { });
            assertTrue(Bridge.activate(router), "another test activated the bridge");
            assertSame(router, Bridge.router());
            assertFalse(Bridge.activate(Router.emma(own, (what, cause) -> { })), "an active router is never replaced");
            assertSame(router, Bridge.router());
            Bridge.started(new LimitedBlocks(own, 1 << 20, (what, cause) -> { }), blocks);
            assertNull(Bridge.door(), "blocks behind a wrapper of the allocator must not be reached around it");
            Bridge.started(own, blocks);
            assertSame(blocks, Bridge.door());
            Bridge.started(own, new EmmaBlocks(other));
            assertSame(blocks, Bridge.door(), "set once");

            long theirs = other.allocate(64);
            assertFalse(Bridge.free(theirs), "a foreign block goes to the original");
            assertFalse(Bridge.free(0));
            assertEquals(1, router.reading().foreignFrees(), "the foreign block counted, 0 not");

            long mine = AppUnsafe.allocateMemory(null, 64); // served at the door: the native path is never reached
            assertEquals(1, emma.stats().liveBlocks());
            assertTrue(Bridge.free(mine));
            assertEquals(0, emma.stats().liveBlocks());
            assertTrue(Bridge.free(mine), "a rejected free (checks mode throws) is kept from the original");
            assertEquals(1, router.reading().failedFrees());
            long viaApp = AppUnsafe.allocateMemory(null, 64);
            AppUnsafe.freeMemory(null, viaApp); // the application's free, at the door (a null Unsafe: the native path would throw)
            assertEquals(0, emma.stats().liveBlocks(), "sun.misc.Unsafe.freeMemory's swapped call frees Emma's block");
            AppUnsafe.freeMemory(null, viaApp);
            assertEquals(2, router.reading().failedFrees(), "its rejected free is counted and kept from the native path");
            List<Long> seen = new ArrayList<>();
            blocks.sampling(new SampleHook() {
                @Override
                public void allocated(long address, long size, Route route, boolean emma) {
                    seen.add(address);
                }

                @Override
                public void freed(long address) {
                    seen.add(-address);
                }
            });
            long sampled = AppUnsafe.allocateMemory(null, 64);
            assertTrue(Bridge.free(sampled));
            assertEquals(List.of(sampled, -sampled), seen, "while sampling is on, the door hands each block to the hook");
            blocks.sampling(null);
            long plain = AppUnsafe.allocateMemory(null, 64);
            assertEquals(1, emma.stats().liveBlocks(), "sampling off: the door still allocates from Emma");
            assertTrue(Bridge.free(plain));
            assertEquals(0, emma.stats().liveBlocks());
            assertEquals(2, seen.size(), "sampling off: the door's calls no longer reach the hook");

            assertEquals(64, other.usableSize(theirs), "the foreign block is left alone");
            other.free(theirs);

            assertTrue(Bridge.doorServes(1) && Bridge.doorServes(SizeClasses.MAX_SIZE));
            assertFalse(Bridge.doorServes(0) || Bridge.doorServes(-1) || Bridge.doorServes(SizeClasses.MAX_SIZE + 1),
                    "sizes the router treats on its own (0, negative, huge) do not go through the door");
        }
    }
}
