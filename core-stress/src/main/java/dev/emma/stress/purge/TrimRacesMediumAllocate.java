package dev.emma.stress.purge;

import static dev.emma.stress.support.Sandbox.MEDIUM;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.emma.stress.support.FreedBlockTrimRace;
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
public class TrimRacesMediumAllocate extends FreedBlockTrimRace {
    public TrimRacesMediumAllocate() {
        super(MEDIUM);
    }

    @Actor
    public void trimmer() {
        trim();
    }

    @Actor
    public void allocator() {
        allocate();
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        judge(r);
    }
}
