package dev.emma.stress.purge;

import static dev.emma.stress.support.Sandbox.SMALL;
import static dev.emma.stress.support.Sandbox.SMALL_PER_PAGE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
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
 * {@code trim()} races an allocation of the class whose only page is empty. A thread allocated and
 * freed one block and died: its heap holds that empty page. {@code trim()} reclaims the heap, gives
 * the page back to the pool, purges it ({@code madvise}) and unmaps the then wholly free segment;
 * the allocating thread registers its heap (which reclaims dead heaps too) and takes a page, maybe
 * that very one, from the pool. The block it gets must stay its own: a later {@code trim()} must not
 * purge it, and its stamp must survive.
 */
@JCStressTest
@Outcome(id = "d0, ok", expect = ACCEPTABLE_INTERESTING, desc = "The allocation reused the dead thread's block (its page was not purged away first).")
@Outcome(id = "new, ok", expect = ACCEPTABLE, desc = "The allocation got another block (a purged page, or a new segment).")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class TrimRacesAllocate {
    private final Sandbox box = Sandbox.checked();
    private final long freedByTheDead;
    private long x;
    private Throwable trimFailed;
    private Throwable allocatorFailed;

    public TrimRacesAllocate() {
        freedByTheDead = box.onDyingThread(emma -> {
            long[] b = Sandbox.allocateStamped(emma, SMALL, 1);
            emma.free(b[0]); // the owner's free: the page stays with the (soon dead) heap, empty
            return b;
        })[0];
    }

    @Actor
    public void trimmer() {
        trimFailed = Sandbox.attempt(() -> box.emma.trim());
    }

    @Actor
    public void allocator() {
        allocatorFailed = Sandbox.attempt(() -> {
            x = Sandbox.allocateStamped(box.emma, SMALL);
        });
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = box.ledger;
        ledger.failIfThrew("trimmer", trimFailed);
        ledger.failIfThrew("allocator", allocatorFailed);
        r.r1 = Ledger.nameOf(x, "d0", freedByTheDead);
        if (allocatorFailed == null) {
            ledger.hold("x", x, SMALL);
        }
        box.emma.trim(); // must leave x's page alone: the verdict checks x's stamp after it
        r.r2 = ledger.verdict(SMALL, 2 * SMALL_PER_PAGE + 1);
    }
}
