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
 * Two frees race to be the one that reaches a DETACHED page's room threshold: on a page of many
 * small blocks, a quarter of its used blocks freed (today's core). Whichever count gets there must
 * queue the page, so that the next allocation of the class adopts it and gets a freed block back.
 *
 * <p>Set-up: a thread that is dead now filled a page of 64 B blocks (a0..) and started the next;
 * trim() reclaimed its heap, detaching the full page (no room: not queued) and queuing the other
 * (room to carve). The setup thread freed all but two of the blocks the threshold needs; each actor
 * frees one more. The arbiter's allocation adopts the queue's first page: the full page, if it
 * was queued when it reached its threshold (after the other), else the other one.
 */
@JCStressTest
@Outcome(id = "reused, ok", expect = ACCEPTABLE, desc = "The free that reached the threshold queued the page; it was adopted.")
@Outcome(id = "not reused, .*", expect = FORBIDDEN, desc = "The page reached its threshold but was left out of the queue.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class FreesRaceToTheRoomThreshold extends Race {
    private static final long TINY = 64;

    /** The full page's blocks, then the first block of the next page. */
    private final long[] blocks;
    private final int threshold;

    public FreesRaceToTheRoomThreshold() {
        super(Sandbox.checked(), "first", "second");
        blocks = box.onDyingThread(e -> Sandbox.fillSmallPage(e, TINY));
        threshold = (blocks.length - 1) / 4;
        box.ledger.holdAll("a", blocks, TINY);
        box.emma.trim();
        box.onSetupThread(e -> {
            for (int i = 0; i < threshold - 2; i++) {
                e.free(blocks[i]);
            }
            return null;
        });
    }

    @Actor
    public void first() {
        asFirst(() -> box.emma.free(blocks[threshold - 2]));
    }

    @Actor
    public void second() {
        asSecond(() -> box.emma.free(blocks[threshold - 1]));
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        Ledger ledger = ledger();
        boolean reused = false;
        for (int i = 0; i < threshold; i++) {
            ledger.freed(blocks[i]);
        }
        long x = Sandbox.allocateStamped(box.emma, TINY);
        for (int i = 0; i < threshold; i++) {
            reused |= x == blocks[i];
        }
        ledger.hold("x", x, TINY);
        r.r1 = reused ? "reused" : "not reused";
        r.r2 = verdict();
    }
}
