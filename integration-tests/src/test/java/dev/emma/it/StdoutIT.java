package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emma.it.app.HelloApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent never writes to stdout, and in its default configuration nothing to stderr but the JDK's warning. */
class StdoutIT {

    @Test
    void applicationOutputIsByteForByteTheSameWithTheAgent() throws Exception {
        ChildResult without = ChildJvm.of(HelloApp.class).run().assertExit(0);
        ChildResult with = ChildJvm.of(HelloApp.class, "wait").withAgent(null).jvm("--enable-native-access=ALL-UNNAMED").run()
                .assertExit(0);
        assertEquals(without.stdout().replace("agent mode: none", "agent mode: emma"), with.stdout(), with::describe);
        assertEquals("", with.stderr(), with::describe);
    }

    @Test
    void defaultConfigurationPrintsOnlyTheJdksNativeAccessWarning() throws Exception {
        ChildResult result = ChildJvm.of(HelloApp.class, "wait").withAgent(null).run().assertExit(0);
        assertEquals(List.of(HelloApp.LINES[0], HelloApp.LINES[1], HelloApp.LINES[2], "agent mode: emma"), result.stdoutLines(),
                result::describe);
        assertEquals(List.of(), result.stderrBesidesNativeAccessWarning(), result::describe);
    }
}
