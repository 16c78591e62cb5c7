package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.it.app.NativeAccessApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent does not change which code path a library takes: the native access of the
 * application's class path is the operator's, with and without the agent. Regression: Emma's
 * first FFM call from the bootstrap loader's unnamed module enabled native access for ALL unnamed
 * modules (JDK 24+), and Netty 4.2 then took its malloc path.
 */
class NativeAccessIT {

    @Test
    void withoutTheFlagTheClassPathHasNoNativeAccessWithOrWithoutTheAgent() throws Exception {
        ChildResult without = ChildJvm.of(NativeAccessApp.class).run().assertExit(0);
        ChildResult with = ChildJvm.of(NativeAccessApp.class).withAgent(null).run().assertExit(0);
        assertEquals(List.of("class path native access: false"), without.stdoutLines(), without::describe);
        assertEquals(without.stdoutLines(), with.stdoutLines(), with::describe);
        // the JDK warned once, about the core's own module: Emma did make its FFM calls
        assertTrue(with.stderr().contains("in module dev.emma.core"), with::describe);
        assertEquals(List.of(), with.stderrBesidesNativeAccessWarning(), with::describe);
    }

    @Test
    void withTheFlagTheClassPathHasNativeAccessWithOrWithoutTheAgentAndNothingIsPrinted() throws Exception {
        ChildResult without = ChildJvm.of(NativeAccessApp.class).jvm("--enable-native-access=ALL-UNNAMED").run().assertExit(0);
        ChildResult with = ChildJvm.of(NativeAccessApp.class).withAgent(null).jvm("--enable-native-access=ALL-UNNAMED").run().assertExit(0);
        assertEquals(List.of("class path native access: true"), without.stdoutLines(), without::describe);
        assertEquals(without.stdoutLines(), with.stdoutLines(), with::describe);
        assertEquals("", with.stderr(), with::describe);
    }
}
