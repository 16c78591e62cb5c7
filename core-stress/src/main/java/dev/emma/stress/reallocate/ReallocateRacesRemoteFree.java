package dev.emma.stress.reallocate;

import static dev.emma.stress.support.Sandbox.SMALL;
import static dev.emma.stress.support.Sandbox.SMALL_PER_PAGE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.emma.stress.support.Ledger;
import dev.emma.stress.support.Sandbox;
import dev.emma.stress.support.Stamps;
import dev.emma.stress.support.Race;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

import java.util.Arrays;

/**
 * {@code reallocate} races a remote free of another block of the same page. The page is full but
 * for b7, which waits in the reuse queue (as in the detach test). The owner allocates (its heap
 * adopts the page), stamps the block and shrinks it to 2 KiB: a block of another class, a copy of
 * the first 2 KiB, and the owner's own free of the old block, while the other thread frees b0 of
 * the same page (the same bitmap word). The moved block keeps its contents; both frees count.
 */
@JCStressTest
@Outcome(id = "b7, ok", expect = ACCEPTABLE, desc = "The owner adopted the page and reallocated b7 while b0 was freed.")
@Outcome(id = "b0, ok", expect = ACCEPTABLE_INTERESTING, desc = "b0's free came before the adoption, which took it back and handed it out first.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class ReallocateRacesRemoteFree extends Race {
    private static final long SHRUNK = 2048;

    private final long[] page;
    private long a;
    private long moved;

    public ReallocateRacesRemoteFree() {
        super(Sandbox.checked(), "owner", "freer");
        page = Arrays.copyOf(box.queuedDetachedPage(), SMALL_PER_PAGE);
    }

    @Actor
    public void owner() {
        asFirst(() -> {
            a = Sandbox.allocateStamped(box.emma, SMALL);
            moved = box.emma.reallocate(a, SHRUNK);
        });
    }

    @Actor
    public void freer() {
        asSecond(() -> box.emma.free(page[0]));
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        ledger.freed(page[0]);
        r.r1 = Ledger.nameOf(a, "b0", page[0], "b7", page[SMALL_PER_PAGE - 1]);
        if (firstCompleted()) {
            if (moved == a) {
                ledger.fail("a 2 KiB reallocation of an 8 KiB block did not move");
            } else if (Stamps.first(moved) != Stamps.of(a)) {
                ledger.fail("the moved block lost its contents");
            } else {
                Stamps.stamp(moved, SHRUNK);
                ledger.hold("moved", moved, SHRUNK);
            }
        }
        r.r2 = verdict();
    }
}
