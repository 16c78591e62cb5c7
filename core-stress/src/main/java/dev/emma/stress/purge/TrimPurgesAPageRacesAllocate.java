package dev.emma.stress.purge;

import static dev.emma.stress.support.Sandbox.SMALL;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.emma.stress.support.Ledger;
import dev.emma.stress.support.Race;
import dev.emma.stress.support.Sandbox;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * {@code trim()} purges a free page (not its segment, which the setup thread's live block keeps)
 * while another thread takes a page from the pool. A thread allocated and freed one block and died:
 * its heap holds that empty page. {@code trim()} reclaims the heap, gives the page back to the pool
 * and purges it, with the {@code madvise} made outside the pool's lock while the page is out of the
 * pool; the allocating thread (registered by a free, so that it does not inherit the dead heap)
 * takes a page meanwhile: the dirty one before the purge chose it, a clean one, or that one after
 * it came back clean. The block it gets must stay its own: no purge may zero it, a later
 * {@code trim()} must leave it alone, and its stamp must survive.
 */
@JCStressTest
@Outcome(id = "d0, ok", expect = ACCEPTABLE_INTERESTING, desc = "The allocation got the dead thread's block back (its page, before or after its purge).")
@Outcome(id = "new, ok", expect = ACCEPTABLE, desc = "The allocation got another block.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class TrimPurgesAPageRacesAllocate extends Race {
    private static final long REGISTRAR = 64; // another class: another page than the race's
    private final long freedByTheDead;
    private final long registrar;
    private long x;

    public TrimPurgesAPageRacesAllocate() {
        super(Sandbox.checked(), "trimmer", "allocator");
        long[] setup = box.onSetupThread(emma -> new long[] {
                Sandbox.allocateStamped(emma, SMALL), Sandbox.allocateStamped(emma, REGISTRAR)});
        box.ledger.hold("k", setup[0], SMALL);     // keeps the segment: trim() purges pages, retires nothing
        registrar = setup[1];
        box.ledger.hold("r", registrar, REGISTRAR);
        freedByTheDead = box.freedByADeadThread(SMALL);
    }

    @Actor
    public void trimmer() {
        asFirst(() -> box.emma.trim());
    }

    @Actor
    public void allocator() {
        asSecond(() -> {
            box.emma.free(registrar); // registers this thread by a free: it inherits nothing
            x = Sandbox.allocateStamped(box.emma, SMALL);
        });
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        r.r1 = Ledger.nameOf(x, "d0", freedByTheDead);
        if (secondCompleted()) {
            ledger.freed(registrar);
            ledger.hold("x", x, SMALL);
        }
        box.emma.trim(); // must leave x's page alone: the verdict checks x's stamp after it
        r.r2 = verdict();
    }
}
