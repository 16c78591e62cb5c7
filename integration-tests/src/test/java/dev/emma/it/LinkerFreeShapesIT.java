package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.LinkerFreeShapesApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An Emma block never reaches libc's free, whichever way the caller bound free (before: free(): invalid pointer, exit 134). */
class LinkerFreeShapesIT {

    @ParameterizedTest
    @ValueSource(strings = {"targetLayout", "critical", "errno", "generic"})
    void everyShapeOfFreeGivesEmmaItsBlocks(String shape) throws Exception {
        ChildResult result = ChildJvm.of(LinkerFreeShapesApp.class, shape).withAgent("linker=all")
                .jvm("--enable-native-access=ALL-UNNAMED").run();
        assertEquals(0, result.exitCode(), result::describe);
        assertTrue(result.stdout().contains("mallocEmma=true"), result::describe);
        assertTrue(result.stdout().contains("survived"), result::describe);
    }
}
