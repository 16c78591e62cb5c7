package dev.emma.model;

import dev.emma.Emma;
import dev.emma.EmmaConfig;
import dev.emma.support.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random operation sequences checked against {@link HeapModel}, many seeds, with and without
 * checks. Each dynamic test is named by its seed; replay one with {@code -Demma.test.seed=N}
 * (the base seed: seed i of the run is base + i).
 */
class ModelBasedTest {
    private static final int SEEDS = 16;
    private static final int OPERATIONS = 1200;

    @TestFactory
    Stream<DynamicTest> randomOperationSequencesMatchTheModel() {
        long base = Seeds.base("ModelBasedTest");
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < SEEDS; i++) {
            long seed = base + i;
            boolean checks = i % 2 == 1;
            boolean eagerPurge = i % 4 >= 2; // the purger runs between operations
            EmmaConfig config = EmmaConfig.defaults().withChecks(checks)
                    .withPurgeDelay(eagerPurge ? Duration.ofMillis(1) : EmmaConfig.defaults().purgeDelay());
            tests.add(DynamicTest.dynamicTest("seed " + seed + (checks ? ", checks" : "") + (eagerPurge ? ", eager purge" : ""), () -> {
                try (Emma emma = Emma.create(config)) {
                    new HeapModel(emma, seed).run(OPERATIONS);
                }
            }));
        }
        return tests.stream();
    }
}
