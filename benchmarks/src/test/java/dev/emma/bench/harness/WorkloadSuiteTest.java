package dev.emma.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadSuiteTest {

    @Test
    void eachRoundStartsAtTheNextConfiguration() {
        List<String> configs = List.of("a", "b", "c");
        assertEquals(List.of("a", "b", "c"), WorkloadSuite.rotate(configs, 0));
        assertEquals(List.of("b", "c", "a"), WorkloadSuite.rotate(configs, 1));
        assertEquals(List.of("c", "a", "b"), WorkloadSuite.rotate(configs, 2));
        assertEquals(List.of("a", "b", "c"), WorkloadSuite.rotate(configs, 3));
    }

    @Test
    void parsesKeyValueFields() {
        assertEquals(java.util.Map.of("port", "4242", "allocator", "X"), ChildJvm.parseFields(" port=4242  allocator=X junk"));
    }
}
