package dev.emma.stress.purge;

import static dev.emma.stress.support.Sandbox.SMALL;
import static dev.emma.stress.support.Sandbox.SMALL_PER_PAGE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.emma.stress.support.Sandbox;
import dev.emma.stress.support.Race;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * The last two (valid) frees into a detached page, one of them followed by {@code trim()}. A thread
 * filled a page, freed six of its blocks itself and died; {@code trim()} reclaimed its heap, so the
 * page is DETACHED and queued with two live blocks, the only page in use in its segment. One thread
 * frees b6, the other frees b7 and then trims. The free that empties the page returns it to the
 * pool and {@code trim()} then unmaps the wholly free segment; the other free must not touch the
 * page's record after that.
 */
@JCStressTest
@Outcome(id = ".*, ok", expect = ACCEPTABLE, desc = "Both frees counted, the segment returned to the OS.")
@Outcome(expect = FORBIDDEN, desc = "A safety check failed: the second field says which.")
@State
public class LastFreesRaceTrim extends Race {
    private final long[] page;

    public LastFreesRaceTrim() {
        super(Sandbox.plain(), "first", "secondThenTrim");
        page = box.onDyingThread(emma -> {
            long[] blocks = Sandbox.allocateStamped(emma, SMALL, SMALL_PER_PAGE);
            for (int i = 0; i < SMALL_PER_PAGE - 2; i++) {
                emma.free(blocks[i]); // the owner's frees: onto the page's free list
            }
            return blocks;
        });
        box.emma.trim(); // reclaims the dead heap: the page, DETACHED with room, joins the reuse queue
    }

    @Actor
    public void first() {
        asFirst(() -> {
            box.emma.free(page[SMALL_PER_PAGE - 2]);
            box.emma.flushFrees(); // gathered (FreeBatch): hand it over now (trim() does so for the other)
        });
    }

    @Actor
    public void secondThenTrim() {
        asSecond(() -> {
            box.emma.free(page[SMALL_PER_PAGE - 1]);
            box.emma.trim();
        });
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        ledger();
        r.r1 = "segments=" + box.emma.stats().segments();
        r.r2 = verdict();
    }
}
