package dev.emma.agent.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JdkMallocLimitTest {

    @Test
    void aGlobalLimitInAnyMode() {
        assertEquals(OptionalLong.of(100L << 20), JdkMallocLimit.parse("100m:oom", "summary"));
        assertEquals(OptionalLong.of(2L << 30), JdkMallocLimit.parse("2G", "detail"));
        assertEquals(OptionalLong.of(4096), JdkMallocLimit.parse("4096:fatal", "summary"));
    }

    @Test
    void theOtherCategoryIsWhereUnsafeAllocationsGo() {
        assertEquals(OptionalLong.of(64L << 10), JdkMallocLimit.parse("other:64k:oom", "summary"));
        assertEquals(OptionalLong.of(1L << 20), JdkMallocLimit.parse("internal:10m,mtOther:1m", "summary"));
        assertEquals(OptionalLong.empty(), JdkMallocLimit.parse("compiler:10m:oom", "summary"), "another category");
    }

    @Test
    void theSmallerOfGlobalAndOtherApplies() {
        assertEquals(OptionalLong.of(50L << 20), JdkMallocLimit.parse("other:50m,200m", "summary"));
    }

    @Test
    void withoutNmtTheJvmIgnoresTheLimitAndSoDoesTheAgent() {
        assertEquals(OptionalLong.empty(), JdkMallocLimit.parse("100m:oom", "off"));
        assertEquals(OptionalLong.empty(), JdkMallocLimit.parse("", "summary"));
    }
}
