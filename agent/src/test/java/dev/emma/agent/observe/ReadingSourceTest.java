package dev.emma.agent.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emma.Emma;
import dev.emma.bridge.EmmaBlocks;
import dev.emma.bridge.Router;
import dev.emma.page.SizeClasses;
import org.junit.jupiter.api.Test;

/**
 * EmmaBytes counts what Emma serves the way passthrough counts what libc serves: a reallocation is
 * an allocation of its new size, moved or not; a block moved into a size class counts once, as
 * that class's block (the core's statistics count it).
 */
class ReadingSourceTest {

    @Test
    void aBlockThatAReallocationMovedIntoAMappingOfItsOwnCountsItsNewSize() {
        try (Emma emma = Emma.create()) {
            Router router = Router.emma(new EmmaBlocks(emma), (what, cause) -> { });
            ReadingSource source = new ReadingSource(router, emma);
            long a = router.allocate(16 * 1024);
            long before = source.get().emmaBytes();
            long moved = router.reallocate(a, 512 * 1024); // past 32 KiB (GROW_IN_MAPPING): a mapping of its own
            assertEquals(before + 512 * 1024, source.get().emmaBytes());
            router.free(moved);
        }
    }

    @Test
    void aHugeBlockGrownByAReallocationCountsItsNewSize() {
        try (Emma emma = Emma.create()) {
            Router router = Router.emma(new EmmaBlocks(emma), (what, cause) -> { });
            ReadingSource source = new ReadingSource(router, emma);
            long a = router.allocate(2L << 20);
            long before = source.get().emmaBytes();
            long grown = router.reallocate(a, 64L << 20); // its pages move (mremap): the core counts nothing
            assertEquals(before + (64L << 20), source.get().emmaBytes());
            long again = router.reallocate(grown, 65L << 20); // grows in place
            assertEquals(before + (64L << 20) + (65L << 20), source.get().emmaBytes());
            router.free(again);
        }
    }

    @Test
    void aBlockMovedIntoASizeClassCountsOnceAsThatClasssBlock() {
        try (Emma emma = Emma.create()) {
            Router router = Router.emma(new EmmaBlocks(emma), (what, cause) -> { });
            ReadingSource source = new ReadingSource(router, emma);
            long a = router.allocate(100);
            long before = source.get().emmaBytes();
            long moved = router.reallocate(a, 4000); // a size class's block: the core counts it
            long classBlock = SizeClasses.blockSize(SizeClasses.classOf(4000));
            assertEquals(before + classBlock, source.get().emmaBytes(), "counted by the core, not again by the router");
            long inPlace = router.reallocate(moved, 3000); // fits where it is: nothing allocated, counted as passthrough would
            assertEquals(moved, inPlace);
            assertEquals(before + classBlock + 3000, source.get().emmaBytes());
            router.free(inPlace);
        }
    }
}
