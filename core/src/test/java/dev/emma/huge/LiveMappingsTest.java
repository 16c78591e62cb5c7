package dev.emma.huge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emma.support.Seeds;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The huge tier's primitive table against a HashMap, through growth and many deletions in probe runs. */
class LiveMappingsTest {

    @Test
    void randomPutsAndRemovesMatchAMap() {
        long seed = Seeds.base("LiveMappingsTest");
        SplittableRandom random = new SplittableRandom(seed);
        LiveMappings table = new LiveMappings();
        Map<Long, Long> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            long base = (1 + random.nextInt(300)) * (1L << 22); // few keys: long probe runs, many removals
            String where = "seed " + seed + ", step " + step;
            switch (random.nextInt(3)) {
                case 0 -> {
                    long block = base + 4096 * (1 + random.nextInt(3));
                    table.put(base, block);
                    model.put(base, block);
                }
                case 1 -> {
                    long block = base + 4096 * (1 + random.nextInt(3));
                    boolean expected = model.containsKey(base) && model.get(base) == block;
                    assertEquals(expected, table.remove(base, block), where);
                    if (expected) {
                        model.remove(base);
                    }
                }
                default -> assertEquals(model.getOrDefault(base, 0L), table.get(base), where);
            }
            assertEquals(model.size(), table.size(), where);
        }
        for (Map.Entry<Long, Long> e : model.entrySet()) {
            assertEquals(e.getValue(), table.get(e.getKey()), "seed " + seed);
        }
    }
}
