package dev.emma.stress.support;

/**
 * The shape every state of this module shares: a private Emma instance ({@link Sandbox}) and two
 * actors, each running its part through {@link #asFirst}/{@link #asSecond}, so that what an actor
 * throws becomes the state's verdict instead of ending the fork. The arbiter starts from
 * {@link #ledger()}, which has already failed for anything an actor threw, and ends with
 * {@link #verdict()} (or the ledger's own, for another probe).
 *
 * <p>Fields written by the actors are read by the arbiter: jcstress orders both actors before the
 * arbiter, so plain fields suffice (here and in subclasses).
 */
public abstract class Race {
    protected final Sandbox box;
    private final String first;
    private final String second;
    private Throwable firstFailed;
    private Throwable secondFailed;

    /** {@code first} and {@code second}: the actors' names, for the verdict of one that threw. */
    protected Race(Sandbox box, String first, String second) {
        this.box = box;
        this.first = first;
        this.second = second;
    }

    protected final void asFirst(Runnable part) {
        firstFailed = Sandbox.attempt(part);
    }

    protected final void asSecond(Runnable part) {
        secondFailed = Sandbox.attempt(part);
    }

    /** Whether the first actor's part ran to its end (what it allocated is then its to hold). */
    protected final boolean firstCompleted() {
        return firstFailed == null;
    }

    protected final boolean secondCompleted() {
        return secondFailed == null;
    }

    /** The state's ledger, failed already if an actor threw: every Emma call here must complete normally. */
    protected final Ledger ledger() {
        box.ledger.failIfThrew(first, firstFailed);
        box.ledger.failIfThrew(second, secondFailed);
        return box.ledger;
    }

    /** The verdict with the usual probe: two small pages' worth of {@link Sandbox#SMALL} blocks and one more. */
    protected final String verdict() {
        return box.ledger.verdict(Sandbox.SMALL, 2 * Sandbox.SMALL_PER_PAGE + 1);
    }
}
