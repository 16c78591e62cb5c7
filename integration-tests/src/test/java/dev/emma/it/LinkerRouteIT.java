package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.LinkerApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * libc's allocator bound through FFM Linker downcalls by a library that is not a known caller:
 * out of scope by default (its mallocs stay native and are counted as uncovered), served by Emma
 * with {@code linker=all}, untouched with {@code linker=off}; foreign blocks stay libc's in every case.
 */
class LinkerRouteIT {

    @Test
    void byDefaultAnUnknownCallersMallocStaysNativeAndIsCountedAsUncovered() throws Exception {
        List<String> lines = run("");
        assertEquals(List.of("mallocEmma=false", "reallocEmma=false kept=true", "usableAtLeast=true", "foreignEmma=false",
                "foreignFreesCounted=1", "unsafeForeignFreesCounted=1"), lines.subList(0, 6));
        assertEquals("LinkerAllocations=0 UncoveredBytes=100000", lines.getLast(), "the malloc that stayed native is visible");
    }

    @Test
    void withLinkerAllEmmaServesItAndLibcKeepsItsOwnBlocks() throws Exception {
        List<String> lines = run("linker=all");
        assertEquals(List.of("mallocEmma=true", "reallocEmma=true kept=true", "usableAtLeast=true", "foreignEmma=false",
                "foreignFreesCounted=1", "unsafeForeignFreesCounted=1"), lines.subList(0, 6));
        assertTrue(lines.getLast().endsWith("UncoveredBytes=0"), lines::toString);
    }

    @Test
    void withLinkerOffNothingIsExchanged() throws Exception {
        List<String> lines = run("linker=off");
        assertTrue(lines.contains("mallocEmma=false"), lines::toString);
        assertTrue(lines.getLast().startsWith("LinkerAllocations=0 UncoveredBytes=0"), lines::toString);
    }

    private static List<String> run(String options) throws Exception {
        ChildResult result = ChildJvm.of(LinkerApp.class).withAgent(options).jvm("--enable-native-access=ALL-UNNAMED")
                .run().assertExit(0);
        return result.stdoutLines();
    }
}
