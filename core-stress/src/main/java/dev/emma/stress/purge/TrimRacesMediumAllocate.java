package dev.emma.stress.purge;

import static dev.emma.stress.support.Sandbox.MEDIUM;
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
 * {@code trim()} races another thread's allocation of a medium class (64 KiB blocks). The setup
 * thread allocated one block and freed it: its heap parked the emptied page as a spare.
 * {@code trim()} takes the spare, releases the page, purges it and unmaps its segment; the other
 * thread allocates in the same class from its own heap, maybe from that very page. The block it
 * gets must stay its own through a later {@code trim()}.
 */
@JCStressTest
@Outcome(id = "m, ok", expect = ACCEPTABLE_INTERESTING, desc = "The allocation got the freed block back (the page, released, was taken from the pool again).")
@Outcome(id = "new, ok", expect = ACCEPTABLE, desc = "trim released the page first; the allocation got a block of a new page.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class TrimRacesMediumAllocate extends Race {
    private final long freed;
    private long x;

    public TrimRacesMediumAllocate() {
        super(Sandbox.checked(), "trimmer", "allocator");
        freed = box.onSetupThread(emma -> {
            long[] b = Sandbox.allocateStamped(emma, MEDIUM, 1);
            emma.free(b[0]);
            return b;
        })[0];
    }

    @Actor
    public void trimmer() {
        asFirst(() -> box.emma.trim());
    }

    @Actor
    public void allocator() {
        asSecond(() -> x = Sandbox.allocateStamped(box.emma, MEDIUM));
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        r.r1 = Ledger.nameOf(x, "m", freed);
        if (secondCompleted()) {
            ledger.hold("x", x, MEDIUM);
        }
        box.emma.trim(); // must leave x's page alone: the verdict checks x's stamp after it
        r.r2 = ledger.verdict(MEDIUM, 9);
    }
}
