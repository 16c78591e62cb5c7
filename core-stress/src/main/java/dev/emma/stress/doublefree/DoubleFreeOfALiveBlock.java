package dev.emma.stress.doublefree;

import static dev.emma.stress.support.Sandbox.SMALL;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.emma.stress.support.Ledger;
import dev.emma.stress.support.Sandbox;
import dev.emma.stress.support.Race;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Two threads, neither the owner, free the same live block at the same moment, in the default mode
 * (bad frees are only counted): exactly one free counts, the other is counted in
 * {@code invalidFrees}, and the page's other blocks and the heap are untouched.
 */
@JCStressTest
@Outcome(id = "frees=1 invalid=1, ok", expect = ACCEPTABLE, desc = "One free counted, the other reported as invalid.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "Both frees counted, or none, or a safety check failed.")
@State
public class DoubleFreeOfALiveBlock extends Race {
    private final long[] blocks;

    public DoubleFreeOfALiveBlock() {
        super(Sandbox.plain(), "first", "second");
        blocks = box.onSetupThread(emma -> Sandbox.allocateStamped(emma, SMALL, 3)); // its heap keeps the page
        box.ledger.holdAll("b", blocks, SMALL);
    }

    // Each free is gathered in its thread's batch (FreeBatch) and handed over right after: the race
    // is between the two hand-overs, or one hand-over and the other free's check.
    @Actor
    public void first() {
        asFirst(() -> {
            box.emma.free(blocks[1]);
            box.emma.flushFrees();
        });
    }

    @Actor
    public void second() {
        asSecond(() -> {
            box.emma.free(blocks[1]);
            box.emma.flushFrees();
        });
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        ledger.freed(blocks[1]);
        var stats = box.emma.stats();
        r.r1 = "frees=" + stats.totalFrees() + " invalid=" + stats.invalidFrees();
        ledger.expectInvalidFrees(1);
        r.r2 = verdict();
    }
}
