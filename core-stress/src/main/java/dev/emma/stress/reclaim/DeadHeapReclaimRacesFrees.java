package dev.emma.stress.reclaim;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.emma.stress.support.DeadHeapFreesRace;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * The reclamation of a dead thread's heap races frees of every block it left. A thread died holding
 * three live blocks of its page. Each new thread reclaims dead heaps before it registers its own:
 * the allocating thread (which registers by a free of a setup thread's block, so that it detaches
 * the dead heap rather than inherit it: {@link DeadHeapInheritanceRacesFrees}) and the freeing
 * thread (first free) race to reclaim it, and the frees race the page's detach, its queueing and
 * its return to the pool when the last block comes back; the allocation adopts the page, or takes
 * it from the pool, or a fresh one. A dead block may be handed out only after its free, and no
 * free may be lost or counted twice.
 * (The same race with {@code trim()} as the reclaimer: {@link TrimReclaimRacesFrees}.)
 */
@JCStressTest
@Outcome(id = "d[012], ok", expect = ACCEPTABLE_INTERESTING, desc = "A dead thread's block came back and was handed out again.")
@Outcome(id = "new, ok", expect = ACCEPTABLE, desc = "The allocation carved a block the dead thread never used, or took another page.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class DeadHeapReclaimRacesFrees extends DeadHeapFreesRace {
    public DeadHeapReclaimRacesFrees() {
        super(true);
    }

    @Actor
    public void allocator() {
        allocate();
    }

    @Actor
    public void freer() {
        freeTheDead();
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        judge(r);
    }
}
