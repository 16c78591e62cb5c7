package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.AccountingApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import org.junit.jupiter.api.Test;

/** BufferPoolMXBean("direct") and -XX:MaxDirectMemorySize behave exactly as without the agent. */
class JdkAccountingIT {

    @Test
    void bufferPoolNumbersAndTheOutOfMemoryMessageAreUnchanged() throws Exception {
        // the application frees with sun.misc.Unsafe.invokeCleaner: allowed, so the JDK does not warn about it
        ChildResult without = ChildJvm.of(AccountingApp.class).jvm("-XX:MaxDirectMemorySize=1m", "--sun-misc-unsafe-memory-access=allow")
                .run().assertExit(0);
        ChildResult with = ChildJvm.of(AccountingApp.class, "wait").withAgent("mode=emma")
                .jvm("-XX:MaxDirectMemorySize=1m", "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED")
                .run().assertExit(0);
        assertTrue(without.stdout().contains("OutOfMemoryError: Cannot reserve 2097152 bytes of direct buffer memory"), without::describe);
        assertEquals(without.stdoutLines(), with.stdoutLines(), with::describe);
        assertEquals("", with.stderr(), with::describe); // a fail-open would have said so here
    }
}
