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
 * The owner of a page allocates three blocks from it while another thread frees two blocks of the
 * same page. With one free a whole batch (8 KiB blocks), every allocation may find "a batch is
 * waiting" and take blocks back, and a take-back can swap a block's bit before its count arrived
 * (the count is then owed as "late"). The page is a dead thread's, adopted by the first allocation.
 * A freed block may come back to the owner only after its free: never while it is still live.
 */
@JCStressTest
@Outcome(id = "new new new, ok", expect = ACCEPTABLE, desc = "The owner carved three blocks; the frees are taken back later.")
@Outcome(id = ".*d[01].*, ok", expect = ACCEPTABLE_INTERESTING, desc = "A freed block came back to the owner while it allocated.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class OwnerAllocationRacesRemoteFrees extends Race {
    private final long[] dead;
    private final long[] got = new long[3];

    public OwnerAllocationRacesRemoteFrees() {
        super(Sandbox.checked(), "owner", "freer");
        dead = box.queuedDeadPage(2);
    }

    @Actor
    public void owner() {
        asFirst(() -> {
            for (int i = 0; i < got.length; i++) {
                got[i] = Sandbox.allocateStamped(box.emma, SMALL);
            }
        });
    }

    @Actor
    public void freer() {
        asSecond(() -> {
            box.emma.free(dead[0]);
            box.emma.free(dead[1]);
        });
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        ledger.freed(dead[0]);
        ledger.freed(dead[1]);
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < got.length; i++) {
            label.append(i == 0 ? "" : " ").append(Ledger.nameOf(got[i], "d0", dead[0], "d1", dead[1]));
            if (firstCompleted()) {
                ledger.hold("x" + i, got[i], SMALL);
            }
        }
        r.r1 = label.toString();
        r.r2 = verdict();
    }
}
