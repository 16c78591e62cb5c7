package dev.emma.stress.detach;

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

import java.util.Arrays;

/**
 * A remote free into a page whose owner is detaching it as full, then an adoption by a third heap.
 *
 * <p>Set-up: the setup thread filled a page (b0..b7), and more pages until its heap let go of the
 * full first one ({@link Sandbox#detachedFullPage}), and freed b7 into it (so the page waits in
 * the reuse queue with one block back). The owner allocates twice: the first allocation adopts the
 * page and takes b7, which fills it; the second finds it full and retains it (today's core detaches
 * only beyond a bound of retained pages), unless b0 came back first. The freer frees b0 into that page and
 * then allocates with its own heap, which adopts the page if the free queued it. b0 must be handed
 * out at most once, and only after it was freed.
 */
@JCStressTest
@Outcome(id = "b7 b0 new, ok", expect = ACCEPTABLE_INTERESTING, desc = "The owner took b0 back before detaching its page.")
@Outcome(id = "b7 new b0, ok", expect = ACCEPTABLE_INTERESTING, desc = "The freer's heap got b0 from the queued page, and the owner b7 from it: after the owner detached it, or after the freer's heap was reclaimed (jcstress ends its actor threads).")
@Outcome(id = "b7 new new, ok", expect = ACCEPTABLE, desc = "b0 came back after both allocations: it waits in the owner's retained page.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class DetachRacesRemoteFreeThenAdoption extends Race {
    private final long[] page;
    private long x1;
    private long x2;
    private long y;

    public DetachRacesRemoteFreeThenAdoption() {
        super(Sandbox.checked(), "owner", "freer");
        page = Arrays.copyOf(box.queuedDetachedPage(), SMALL_PER_PAGE);
    }

    @Actor
    public void owner() {
        asFirst(() -> {
            x1 = Sandbox.allocateStamped(box.emma, SMALL);
            x2 = Sandbox.allocateStamped(box.emma, SMALL);
        });
    }

    @Actor
    public void freer() {
        asSecond(() -> {
            box.emma.free(page[0]);
            y = Sandbox.allocateStamped(box.emma, SMALL);
        });
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        ledger.freed(page[0]);
        long b0 = page[0];
        long b7 = page[SMALL_PER_PAGE - 1];
        r.r1 = Ledger.nameOf(x1, "b0", b0, "b7", b7) + " " + Ledger.nameOf(x2, "b0", b0, "b7", b7)
                + " " + Ledger.nameOf(y, "b0", b0, "b7", b7);
        if (firstCompleted() && secondCompleted()) {
            ledger.hold("x1", x1, SMALL);
            ledger.hold("x2", x2, SMALL);
            ledger.hold("y", y, SMALL);
        }
        r.r2 = verdict();
    }
}
