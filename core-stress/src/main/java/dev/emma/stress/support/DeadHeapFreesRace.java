package dev.emma.stress.support;

import static dev.emma.stress.support.Sandbox.SMALL;

import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * The body of a race between a new thread's allocation and another thread's frees of every block a
 * dead thread left (three live blocks of its page). The allocating thread either starts with an
 * allocation, and so may inherit the dead heap ({@code Heap.inherit}), or registers by a free of a
 * setup thread's block (another class, another page) first, and so detaches it like any
 * reclamation. Subclasses are the jcstress tests (one per shape, since jcstress needs one annotated
 * class per test): their actors and arbiter call {@link #allocate}, {@link #freeTheDead} and
 * {@link #judge}.
 */
public abstract class DeadHeapFreesRace extends Race {
    private static final long REGISTRAR = 64; // another class: another page than the race's
    private final long[] dead;
    private final long registrar;
    private long x;

    protected DeadHeapFreesRace(boolean registerByAFree) {
        super(Sandbox.checked(), "allocator", "freer");
        dead = box.onDyingThread(emma -> Sandbox.allocateStamped(emma, SMALL, 3));
        box.ledger.holdAll("d", dead, SMALL);
        if (registerByAFree) {
            registrar = box.onSetupThread(emma -> Sandbox.allocateStamped(emma, REGISTRAR, 1))[0];
            box.ledger.hold("r", registrar, REGISTRAR);
        } else {
            registrar = 0;
        }
    }

    protected final void allocate() {
        asFirst(() -> {
            if (registrar != 0) {
                box.emma.free(registrar); // registers this thread by a free: it inherits nothing
            }
            x = Sandbox.allocateStamped(box.emma, SMALL);
        });
    }

    protected final void freeTheDead() {
        asSecond(() -> {
            for (long d : dead) {
                box.emma.free(d);
            }
        });
    }

    /** r1: which dead block the allocation got back ("d0".."d2"), else "new"; r2: the verdict. */
    protected final void judge(LL_Result r) {
        Ledger ledger = ledger();
        for (long d : dead) {
            ledger.freed(d);
        }
        r.r1 = Ledger.nameOf(x, "d0", dead[0], "d1", dead[1], "d2", dead[2]);
        if (firstCompleted()) {
            if (registrar != 0) {
                ledger.freed(registrar);
            }
            ledger.hold("x", x, SMALL);
        }
        r.r2 = verdict();
    }
}
