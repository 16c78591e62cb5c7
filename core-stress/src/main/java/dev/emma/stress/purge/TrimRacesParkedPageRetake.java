package dev.emma.stress.purge;

import static dev.emma.stress.support.Sandbox.MEDIUM;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.emma.stress.support.Ledger;
import dev.emma.stress.support.Race;
import dev.emma.stress.support.Sandbox;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * A live thread's free empties its current medium page, which its heap parks as a spare (the only
 * kind of page another thread may take from a live heap); the thread then allocates in the same
 * class, retaking the parked page with an atomic swap, while {@code trim()} on another thread swaps
 * the same slot to take the page away, detaches it, purges it and unmaps its then wholly free
 * segment. Exactly one of the two gets the page: the block the owner gets must stay its own through
 * a later {@code trim()}, and its stamp must survive.
 */
@JCStressTest
@Outcome(id = "a, ok", expect = ACCEPTABLE, desc = "The owner retook its parked page first: the block it freed is handed out again.")
@Outcome(id = "a taken, ok", expect = ACCEPTABLE_INTERESTING, desc = "trim() took the parked page and purged it; the owner took the same page from the pool.")
@Outcome(id = "new taken, ok", expect = ACCEPTABLE_INTERESTING, desc = "trim() took the parked page; the owner got a block of another page.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class TrimRacesParkedPageRetake extends Race {
    private static final int PARKED_SPINS = 2000;
    private long a;
    private long x;

    public TrimRacesParkedPageRetake() {
        super(Sandbox.checked(), "trimmer", "owner");
    }

    @Actor
    public void trimmer() {
        asFirst(() -> box.emma.trim());
    }

    @Actor
    public void owner() {
        asSecond(() -> {
            a = Sandbox.allocateStamped(box.emma, MEDIUM);
            box.emma.free(a); // the page's only block: the page is parked
            // A few microseconds parked, so that trim() lands in the window as often as not: without
            // them the owner retook its page before every trim() in 60,000 tries.
            for (int i = 0; i < PARKED_SPINS; i++) {
                Thread.onSpinWait();
            }
            x = Sandbox.allocateStamped(box.emma, MEDIUM);
        });
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        // Whether trim() took the page: it then purged it (the only page), whatever the owner got next.
        r.r1 = Ledger.nameOf(x, "a", a) + (box.emma.stats().purgedBytes() > 0 ? " taken" : "");
        if (secondCompleted()) {
            ledger.hold("x", x, MEDIUM);
        }
        box.emma.trim(); // must leave x's page alone: the verdict checks x's stamp after it
        r.r2 = ledger.verdict(MEDIUM, 9);
    }
}
