package dev.emma.stress.detach;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
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
 * {@link FreesRaceToTheRoomThreshold} with batches, in the default mode: each actor's two frees are
 * gathered (dev.emma.heap.FreeBatch: the blocks share a bitmap word) and handed over in one step,
 * which adds 2 to the page's count. Counts now rise by more than one, so the hand-over whose range
 * contains the threshold, not the one that lands on it, must queue the page.
 *
 * <p>Set-up as there, except that the setup thread frees three fewer blocks than the threshold
 * (and hands them over), and each actor frees two more: the count goes from threshold - 3 to
 * threshold - 1 and then to threshold + 1, so no hand-over lands on the threshold itself (a check
 * for "the count equals the threshold", right for single frees, would leave the page out).
 */
@JCStressTest
@Outcome(id = "reused, ok", expect = ACCEPTABLE, desc = "The hand-over that passed the threshold queued the page; it was adopted.")
@Outcome(id = "not reused, .*", expect = FORBIDDEN, desc = "The page reached its threshold but was left out of the queue.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class BatchedFreesRaceToTheRoomThreshold extends Race {
    private static final long TINY = 64;

    /** The full page's blocks, then the first block of the next page. */
    private final long[] blocks;
    private final int threshold;

    public BatchedFreesRaceToTheRoomThreshold() {
        super(Sandbox.plain(), "first", "second");
        blocks = box.onDyingThread(e -> Sandbox.fillSmallPage(e, TINY));
        threshold = (blocks.length - 1) / 4;
        box.ledger.holdAll("a", blocks, TINY);
        box.emma.trim();
        box.onSetupThread(e -> {
            for (int i = 0; i <= threshold; i++) {
                if (i < threshold - 8 || i > threshold - 5) { // all but the actors' four
                    e.free(blocks[i]);
                }
            }
            e.flushFrees();
            return null;
        });
    }

    @Actor
    public void first() {
        asFirst(() -> {
            box.emma.free(blocks[threshold - 8]);
            box.emma.free(blocks[threshold - 7]);
            box.emma.flushFrees();
        });
    }

    @Actor
    public void second() {
        asSecond(() -> {
            box.emma.free(blocks[threshold - 6]);
            box.emma.free(blocks[threshold - 5]);
            box.emma.flushFrees();
        });
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        boolean reused = false;
        for (int i = 0; i <= threshold; i++) {
            ledger.freed(blocks[i]);
        }
        long x = Sandbox.allocateStamped(box.emma, TINY);
        for (int i = 0; i <= threshold; i++) {
            reused |= x == blocks[i];
        }
        ledger.hold("x", x, TINY);
        r.r1 = reused ? "reused" : "not reused";
        r.r2 = verdict();
    }
}
