package dev.emma.stress.purge;

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
 * {@code trim()} races an allocation of the class whose only page is empty. A thread allocated and
 * freed one block and died: its heap holds that empty page. {@code trim()} reclaims the heap, gives
 * the page back to the pool, purges it ({@code madvise}) and unmaps the then wholly free segment;
 * the allocating thread, whose first call this is, inherits the dead heap if trim() has not reclaimed
 * it yet (and gets the freed block from its free list), or else takes a page, maybe that very one,
 * from the pool. The block it gets must stay its own: a later {@code trim()} must not purge it, and
 * its stamp must survive.
 */
@JCStressTest
@Outcome(id = "d0, ok", expect = ACCEPTABLE_INTERESTING, desc = "The allocation reused the dead thread's block (inherited with its heap, or its page was not purged away first).")
@Outcome(id = "new, ok", expect = ACCEPTABLE, desc = "The allocation got another block (a purged page, or a new segment).")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class TrimRacesAllocate extends Race {
    private final long freedByTheDead;
    private long x;

    public TrimRacesAllocate() {
        super(Sandbox.checked(), "trimmer", "allocator");
        freedByTheDead = box.freedByADeadThread(SMALL);
    }

    @Actor
    public void trimmer() {
        asFirst(() -> box.emma.trim());
    }

    @Actor
    public void allocator() {
        asSecond(() -> x = Sandbox.allocateStamped(box.emma, SMALL));
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        r.r1 = Ledger.nameOf(x, "d0", freedByTheDead);
        if (secondCompleted()) {
            ledger.hold("x", x, SMALL);
        }
        box.emma.trim(); // must leave x's page alone: the verdict checks x's stamp after it
        r.r2 = verdict();
    }
}
