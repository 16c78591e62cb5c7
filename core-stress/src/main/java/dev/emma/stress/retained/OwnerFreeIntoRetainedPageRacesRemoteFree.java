package dev.emma.stress.retained;

import static dev.emma.stress.support.Sandbox.SMALL;
import static dev.emma.stress.support.Sandbox.SMALL_PER_PAGE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
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
 * The owner's frees into its retained page (full, not its current page: plain stores on the page's
 * record and alloc bitmap) race a remote free into the same page and bitmap word.
 *
 * <p>Set-up: a dead thread left a page with seven live blocks (d0..d6) and one to carve;
 * {@code trim()} reclaimed its heap, so the page waits in the reuse queue. The owner allocates
 * twice (the first adopts the page and fills it, the second finds it full, retains it and takes a
 * fresh page, unless d0 came back first), then frees its first block and d1: owner frees into the
 * retained page. The freer frees d0 into the page, whatever state it is in by then (queued, the
 * owner's current page, or retained). Every block comes back exactly once; d0 is handed out at most
 * once, and only after its free.
 */
@JCStressTest
@Outcome(id = "d0 new, ok", expect = ACCEPTABLE_INTERESTING, desc = "The free came before the adoption: the adopter got d0 back.")
@Outcome(id = "new d0, ok", expect = ACCEPTABLE_INTERESTING, desc = "The free came before the second allocation, whose refill took d0 back.")
@Outcome(id = "new new, ok", expect = ACCEPTABLE, desc = "The free landed in the retained page: it waits there.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class OwnerFreeIntoRetainedPageRacesRemoteFree extends Race {
    private final long[] dead;
    private long x;
    private long y;

    public OwnerFreeIntoRetainedPageRacesRemoteFree() {
        super(Sandbox.checked(), "owner", "freer");
        dead = box.queuedDeadPage(SMALL_PER_PAGE - 1); // one block left to carve
    }

    @Actor
    public void owner() {
        asFirst(() -> {
            x = Sandbox.allocateStamped(box.emma, SMALL);
            y = Sandbox.allocateStamped(box.emma, SMALL);
            box.emma.free(x);
            box.emma.free(dead[1]);
        });
    }

    @Actor
    public void freer() {
        asSecond(() -> box.emma.free(dead[0]));
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        ledger.freed(dead[0]);
        ledger.freed(dead[1]);
        r.r1 = Ledger.nameOf(x, "d0", dead[0]) + " " + Ledger.nameOf(y, "d0", dead[0]);
        if (firstCompleted()) {
            ledger.hold("y", y, SMALL);
        }
        r.r2 = verdict();
    }
}
