package dev.emma.bench.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void repsAreInterleavedAndTheArmsRotate() {
        List<String> order = Schedule.of(List.of(Arm.NONE, Arm.PASSTHROUGH, Arm.EMMA), 4).stream()
                .map(s -> s.rep() + ":" + s.arm().id()).toList();

        assertEquals(List.of(
                "1:none", "1:passthrough", "1:emma",
                "2:passthrough", "2:emma", "2:none",
                "3:emma", "3:none", "3:passthrough",
                "4:none", "4:passthrough", "4:emma"), order);
    }

    @Test
    void theArmsGivenAreTheArmsRun() {
        List<String> order = Schedule.of(List.of(Arm.EMMA, Arm.NONE), 2).stream().map(s -> s.rep() + ":" + s.arm().id()).toList();

        assertEquals(List.of("1:emma", "1:none", "2:none", "2:emma"), order);
    }
}
