package dev.emma.stress.reclaim;

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
 * The reclamation of a dead thread's heap races frees of every block it left. A thread died holding
 * three live blocks of its page. One thread calls {@code trim()}, which reclaims dead heaps (their
 * pages are detached), returns empty pages to the pool and unmaps wholly free segments; the other
 * frees the three blocks (and, registering its own heap on its first free, may reclaim the dead
 * heap itself). Whoever sees the page's last block come back must return it to the pool exactly
 * once, and no free may be lost or counted twice.
 *
 * <p>Crashed the JVM before the pin in the page's REMOTE word (2 of 40 forks of a {@code -m default}
 * run, in C2 stress mode): the last free's add saw the page DETACHED and went to settle it;
 * {@code trim()}'s own detach settled it first (it saw that count), the page went to the pool,
 * {@code trim()} unmapped the now wholly free segment, and the free's re-check of the page record
 * under the class lock faulted.
 */
@JCStressTest
@Outcome(id = "segments=0, ok", expect = ACCEPTABLE_INTERESTING, desc = "The frees came first: trim found the segment empty and unmapped it.")
@Outcome(id = "segments=1, ok", expect = ACCEPTABLE, desc = "trim ran before the last free: the emptied page waits in the pool.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class TrimReclaimRacesFrees extends Race {
    private final long[] dead;

    public TrimReclaimRacesFrees() {
        super(Sandbox.checked(), "trimmer", "freer");
        dead = box.onDyingThread(emma -> Sandbox.allocateStamped(emma, SMALL, 3));
        box.ledger.holdAll("d", dead, SMALL);
    }

    @Actor
    public void trimmer() {
        asFirst(() -> box.emma.trim());
    }

    @Actor
    public void freer() {
        asSecond(() -> {
            for (long d : dead) {
                box.emma.free(d);
            }
        });
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        for (long d : dead) {
            ledger.freed(d);
        }
        r.r1 = "segments=" + box.emma.stats().segments();
        r.r2 = verdict();
    }
}
