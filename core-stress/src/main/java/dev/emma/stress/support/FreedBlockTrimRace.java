package dev.emma.stress.support;

import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * The body of a race between {@code trim()} and another thread's allocation of a size whose one
 * block the setup thread allocated and freed: the page that block left empty is what
 * {@code trim()} may release, purge and unmap while the allocation takes a block of that size.
 * Subclasses are the jcstress tests (one per size, since jcstress needs one annotated class per
 * test): their actors and arbiter call {@link #trim}, {@link #allocate} and {@link #judge}.
 */
public abstract class FreedBlockTrimRace extends Race {
    private final long size;
    private final long freed;
    private long x;

    protected FreedBlockTrimRace(long size) {
        super(Sandbox.checked(), "trimmer", "allocator");
        this.size = size;
        freed = box.onSetupThread(emma -> {
            long[] b = Sandbox.allocateStamped(emma, size, 1);
            emma.free(b[0]);
            return b;
        })[0];
    }

    protected final void trim() {
        asFirst(() -> box.emma.trim());
    }

    protected final void allocate() {
        asSecond(() -> x = Sandbox.allocateStamped(box.emma, size));
    }

    /** r1: "m" if the allocation got the freed block back, else "new"; r2: the verdict. */
    protected final void judge(LL_Result r) {
        Ledger ledger = ledger();
        r.r1 = Ledger.nameOf(x, "m", freed);
        if (secondCompleted()) {
            ledger.hold("x", x, size);
        }
        box.emma.trim(); // must leave x's page alone: the verdict checks x's stamp after it
        r.r2 = ledger.verdict(size, 9);
    }
}
