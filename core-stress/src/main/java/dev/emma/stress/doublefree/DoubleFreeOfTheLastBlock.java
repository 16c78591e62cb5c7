package dev.emma.stress.doublefree;

import static dev.emma.stress.support.Sandbox.SMALL;
import static dev.emma.stress.support.Sandbox.SMALL_PER_PAGE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.emma.InvalidFreeException;
import dev.emma.stress.support.Ledger;
import dev.emma.stress.support.Sandbox;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Two threads free the last live block of a detached page at the same moment, in checks mode. The
 * free that counts empties the page, which goes back to the pool (its bitmaps cleared, its capacity
 * zeroed) while the other free is still looking at it: that one must be rejected with
 * {@link InvalidFreeException}, and the pool must not get the page twice.
 */
@JCStressTest
@Outcome(id = "freed rejected, ok", expect = ACCEPTABLE, desc = "The first actor's free counted, the second was rejected.")
@Outcome(id = "rejected freed, ok", expect = ACCEPTABLE, desc = "The second actor's free counted, the first was rejected.")
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Another order, safe: every check passed.")
@Outcome(expect = FORBIDDEN, desc = "Both frees counted, or none, or a safety check failed.")
@State
public class DoubleFreeOfTheLastBlock {
    private final Sandbox box = Sandbox.checked();
    private final long last;
    private String first;
    private String second;

    public DoubleFreeOfTheLastBlock() {
        long[] setup = box.onSetupThread(emma -> {
            long[] blocks = Sandbox.detachedFullPage(emma); // the last one is on the heap's current page
            for (int i = 0; i < SMALL_PER_PAGE - 1; i++) {
                emma.free(blocks[i]); // into a page its heap let go of: the page waits in the reuse queue
            }
            return blocks;
        });
        last = setup[SMALL_PER_PAGE - 1];
        box.ledger.hold("z", setup[SMALL_PER_PAGE], SMALL);
    }

    private String free() {
        try {
            box.emma.free(last);
            return "freed";
        } catch (InvalidFreeException e) {
            return "rejected";
        } catch (Throwable t) {
            return "threw " + t.getClass().getSimpleName();
        }
    }

    @Actor
    public void first() {
        first = free();
    }

    @Actor
    public void second() {
        second = free();
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = box.ledger;
        r.r1 = first + " " + second;
        ledger.expectInvalidFrees(1);
        r.r2 = ledger.verdict(SMALL, 2 * SMALL_PER_PAGE + 1);
    }
}
