package dev.emma.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emma.it.app.MallocLimitApp;
import dev.emma.it.support.ChildJvm;
import dev.emma.it.support.ChildResult;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -XX:MallocLimit} (global, and NMT's category {@code other}, where {@code Unsafe} allocations
 * go) still refuses Java-level off-heap allocations over it with the JDK's own OutOfMemoryError when
 * Emma serves them, as OpenJDK's own Unsafe tests expect.
 */
class MallocLimitIT {

    @ParameterizedTest
    @ValueSource(strings = {"100m:oom", "other:100m:oom"})
    void allocationsOverTheLimitGetTheJdksOutOfMemoryError(String limit) throws Exception {
        ChildResult result = ChildJvm.of(MallocLimitApp.class).withAgent("")
                .jvm("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                        "-XX:+UnlockDiagnosticVMOptions", "-XX:NativeMemoryTracking=summary", "-XX:MallocLimit=" + limit)
                .run().assertExit(0);
        assertEquals(List.of("unsafe200m OOM Unable to allocate 209715200 bytes", "direct200m OOM Unable to allocate 209715200 bytes",
                "unsafe1m ok true"), result.stdoutLines(), result::describe);
    }
}
