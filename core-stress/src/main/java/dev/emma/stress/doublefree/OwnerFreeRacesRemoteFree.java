package dev.emma.stress.doublefree;

import static dev.emma.stress.support.Sandbox.SMALL;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.emma.InvalidFreeException;
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
 * A page's owner and another thread free the same live block at the same moment, in checks mode,
 * where the owner's free claims its block through the remote bitmap: exactly one free succeeds, the
 * other throws {@link InvalidFreeException} and is counted, and the page holds the block once.
 *
 * <p>Set-up: a dead thread left a page with two live blocks (d0, d1) and room; {@code trim()}
 * reclaimed its heap, so the page waits in the reuse queue. The owner allocates once (adopting the
 * page: from then on it is the owner's current page) and frees d0; the freer frees d0. If the
 * freer's free came before the adoption, the adoption took d0 back and the allocation returned it:
 * then both frees are valid (the owner frees its own new block).
 */
@JCStressTest
@Outcome(id = "new owner-freed freer-lost, ok", expect = ACCEPTABLE, desc = "The owner's free won.")
@Outcome(id = "new owner-lost freer-freed, ok", expect = ACCEPTABLE, desc = "The freer's free won.")
@Outcome(id = "d0 owner-freed freer-freed, ok", expect = ACCEPTABLE_INTERESTING, desc = "The free came before the adoption, which handed d0 out again.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "Both frees of one live block succeeded, or none, or a safety check failed.")
@State
public class OwnerFreeRacesRemoteFree extends Race {
    private final long[] dead;
    private long x;
    private boolean ownerLost;
    private boolean freerLost;

    public OwnerFreeRacesRemoteFree() {
        super(Sandbox.checked(), "owner", "freer");
        dead = box.queuedDeadPage(2);
    }

    @Actor
    public void owner() {
        asFirst(() -> {
            x = Sandbox.allocateStamped(box.emma, SMALL);
            ownerLost = lostFree(dead[0]);
        });
    }

    @Actor
    public void freer() {
        asSecond(() -> freerLost = lostFree(dead[0]));
    }

    /** Frees {@code block}; whether the free was reported as a double free. */
    private boolean lostFree(long block) {
        try {
            box.emma.free(block);
            return false;
        } catch (InvalidFreeException e) {
            return true;
        }
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        ledger.freed(dead[0]);
        boolean reused = x == dead[0];
        r.r1 = Ledger.nameOf(x, "d0", dead[0]) + (ownerLost ? " owner-lost" : " owner-freed") + (freerLost ? " freer-lost" : " freer-freed");
        int lost = (ownerLost ? 1 : 0) + (freerLost ? 1 : 0);
        if (lost != (reused ? 0 : 1)) {
            ledger.fail(lost + " of the two frees lost (d0 " + (reused ? "" : "not ") + "handed out again)");
        }
        if (firstCompleted() && !reused) {
            ledger.hold("x", x, SMALL);
        }
        ledger.expectInvalidFrees(reused ? 0 : 1);
        r.r2 = verdict();
    }
}
