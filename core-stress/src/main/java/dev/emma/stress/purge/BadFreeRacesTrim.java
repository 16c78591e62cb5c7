package dev.emma.stress.purge;

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
 * A double free racing {@code trim()}, in the default mode. A thread allocated a block, freed it and
 * died; its heap holds the empty page, the segment's only page in use. {@code trim()} reclaims the
 * heap, returns the page to the pool and, the segment now being wholly free, unmaps it; the other
 * thread frees the block a second time. The bad free must be counted and ignored, never touch
 * unmapped memory.
 */
@JCStressTest
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "The second free was counted as invalid and nothing else changed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class BadFreeRacesTrim extends Race {
    private final long freedByTheDead;

    public BadFreeRacesTrim() {
        super(Sandbox.plain(), "trimmer", "doubleFreer");
        freedByTheDead = box.freedByADeadThread(SMALL);
    }

    @Actor
    public void trimmer() {
        asFirst(() -> box.emma.trim());
    }

    @Actor
    public void doubleFreer() {
        asSecond(() -> {
            box.emma.free(freedByTheDead);
            box.emma.flushFrees(); // a free into a page the thread does not own is gathered (FreeBatch): hand it over
        });
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        ledger.expectInvalidFrees(1);
        r.r1 = "segments=" + box.emma.stats().segments();
        r.r2 = verdict();
    }
}
