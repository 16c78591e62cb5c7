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
 * A new thread inherits a dead thread's heap while another thread frees every block the dead one
 * left. A thread died holding three live blocks of its page. The allocating thread's first call is
 * an allocation: unless the freeing thread's registration (by its first free) reclaimed the dead
 * heap first, the allocating thread inherits it whole ({@code Heap.inherit}) and allocates from its
 * page as the owner while the frees land in it as remote frees, counted and taken back by the new
 * owner. A dead block may be handed out only after its free, and no free may be lost or counted
 * twice. (Reclamation by detach racing the same frees: {@link DeadHeapReclaimRacesFrees}.)
 */
@JCStressTest
@Outcome(id = "d[012], ok", expect = ACCEPTABLE_INTERESTING, desc = "A dead thread's block came back (freed, taken back by the heir or adopted) and was handed out again.")
@Outcome(id = "new, ok", expect = ACCEPTABLE, desc = "The heir carved a block the dead thread never used, or the allocation took another page.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class DeadHeapInheritanceRacesFrees extends DeadHeapFreesRace {
    public DeadHeapInheritanceRacesFrees() {
        super(false);
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
