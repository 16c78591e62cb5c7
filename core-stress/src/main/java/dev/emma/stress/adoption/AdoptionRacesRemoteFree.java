package dev.emma.stress.adoption;

import static dev.emma.stress.support.Sandbox.SMALL;
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
 * Issue 9's race. A dead thread left a page with three live blocks, an empty free list and blocks
 * left to carve; {@code trim()} reclaimed its heap, so the page waits in the reuse queue. One thread
 * allocates (its heap adopts that page), another frees one of the dead thread's blocks into it. On
 * the code before the fix, a free landing between the adoption and the allocation made the
 * allocation fail with {@code AssertionError: a refilled page has no free block}.
 */
@JCStressTest
@Outcome(id = "d0, ok", expect = ACCEPTABLE_INTERESTING, desc = "The free came first: the adopter got the freed block back.")
@Outcome(id = "new, ok", expect = ACCEPTABLE, desc = "The adopter carved a block; the free is taken back later.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class AdoptionRacesRemoteFree extends Race {
    private final long[] dead;
    private long x;

    public AdoptionRacesRemoteFree() {
        super(Sandbox.checked(), "adopter", "freer");
        dead = box.queuedDeadPage(3);
    }

    @Actor
    public void adopter() {
        asFirst(() -> x = Sandbox.allocateStamped(box.emma, SMALL));
    }

    @Actor
    public void freer() {
        asSecond(() -> box.emma.free(dead[0]));
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        ledger.freed(dead[0]);
        r.r1 = Ledger.nameOf(x, "d0", dead[0]);
        if (firstCompleted()) {
            ledger.hold("x", x, SMALL);
        }
        r.r2 = verdict();
    }
}
