package dev.emma.bench.ab;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of the runs: reps interleaved, the arms rotated by one each rep (none, passthrough,
 * emma; then passthrough, emma, none; ...), so that drift of the machine during the experiment
 * (another process, a warming page cache) spreads over every arm instead of landing on one, and
 * no arm always runs first.
 */
public final class Schedule {

    /** One run: the arm in its {@code rep}-th repetition (1-based). */
    public record Slot(int rep, Arm arm) {
    }

    private Schedule() {
    }

    public static List<Slot> of(List<Arm> arms, int reps) {
        List<Slot> slots = new ArrayList<>(arms.size() * reps);
        for (int rep = 1; rep <= reps; rep++) {
            for (int i = 0; i < arms.size(); i++) {
                slots.add(new Slot(rep, arms.get((i + rep - 1) % arms.size())));
            }
        }
        return slots;
    }
}
