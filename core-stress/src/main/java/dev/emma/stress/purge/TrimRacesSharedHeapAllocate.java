package dev.emma.stress.purge;

import static dev.emma.stress.support.Sandbox.LARGE;
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
 * {@code trim()} races an allocation in a shared heap (128 KiB blocks, a large class: the first
 * shared heap serves it to every thread, under its monitor). The shared heap's page holds one
 * block, freed by the setup thread (a free into a shared heap's page is always remote: counted, not
 * yet taken back). {@code trim()} takes it back, finds the page empty, releases it, purges it and
 * unmaps its segment; the other thread allocates in the same class from the same shared heap. The
 * block it gets must stay its own through a later {@code trim()}.
 */
@JCStressTest
@Outcome(id = "m, ok", expect = ACCEPTABLE_INTERESTING, desc = "The allocation came first and took the freed block back.")
@Outcome(id = "new, ok", expect = ACCEPTABLE, desc = "trim released the page first; the allocation got a block of a new page.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class TrimRacesSharedHeapAllocate extends FreedBlockTrimRace {
    public TrimRacesSharedHeapAllocate() {
        super(LARGE);
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
