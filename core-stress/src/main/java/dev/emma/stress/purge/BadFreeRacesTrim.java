package dev.emma.stress.purge;

import static dev.emma.stress.support.Sandbox.SMALL;
import static dev.emma.stress.support.Sandbox.SMALL_PER_PAGE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.emma.stress.support.Ledger;
import dev.emma.stress.support.Sandbox;
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
public class BadFreeRacesTrim {
    private final Sandbox box = Sandbox.plain();
    private final long freedByTheDead;
    private Throwable trimFailed;
    private Throwable freerFailed;

    public BadFreeRacesTrim() {
        freedByTheDead = box.onDyingThread(emma -> {
            long[] b = Sandbox.allocateStamped(emma, SMALL, 1);
            emma.free(b[0]);
            return b;
        })[0];
    }

    @Actor
    public void trimmer() {
        trimFailed = Sandbox.attempt(() -> box.emma.trim());
    }

    @Actor
    public void doubleFreer() {
        freerFailed = Sandbox.attempt(() -> box.emma.free(freedByTheDead));
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = box.ledger;
        ledger.failIfThrew("trimmer", trimFailed);
        ledger.failIfThrew("doubleFreer", freerFailed);
        ledger.expectInvalidFrees(1);
        r.r1 = "segments=" + box.emma.stats().segments();
        r.r2 = ledger.verdict(SMALL, 2 * SMALL_PER_PAGE + 1);
    }
}
