package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.emma.it.app.ReturnFailureApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When the kernel refuses to take memory back (a page the application {@code mlock}ed), the
 * operator sees it: the MBean's {@code ReturnFailures} counts it and the log says it once, with
 * its cause; the application runs on, and once the page is unlocked the purges work again.
 */
class ReturnFailureIT {

    private static final String WARNING = "emma-agent: Emma could not give memory back to the OS";

    @Test
    void aRefusedPurgeIsCountedAndLoggedOnce() throws Exception {
        ChildResult result = ChildJvm.of(ReturnFailureApp.class).withAgent("purgeDelay=50ms")
                .jvm("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                .run().assertExit(0);
        assumeFalse(result.stdout().startsWith("mlock-refused"), "this process may not lock memory: " + result.stdout());
        assertEquals(List.of("failures-seen", "returned-after-unlock"), result.stdoutLines(), result::describe);
        List<String> warnings = result.stderrLines().stream().filter(line -> line.contains(WARNING)).toList();
        assertEquals(1, warnings.size(), result::describe);
        assertEquals(1, result.stderrLines().stream().filter(line -> line.contains("failed with errno 22")).count(),
                "the cause, EINVAL, logged with it once: " + result.describe());
    }
}
