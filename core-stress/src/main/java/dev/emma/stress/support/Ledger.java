package dev.emma.stress.support;

import dev.emma.Emma;
import dev.emma.EmmaStats;
import dev.emma.InvalidFreeException;

import java.util.ArrayList;
import java.util.List;

/**
 * What a state knows must hold after its actors ran, checked by its arbiter: the blocks that are
 * live (each named, so that a verdict never carries an address and the outcomes stay few), how
 * many bad frees the instance must have counted, and that the heap still works.
 *
 * <p>{@link #verdict} checks, in this order: every held block is live with its class's usable size
 * and still carries its stamp; no two held blocks overlap; {@code liveBlocks} and
 * {@code invalidFrees} are exactly as expected; a probe of fresh allocations of the class hands out
 * only blocks that overlap nothing held (and none twice) and costs no held block its stamp; after
 * everything is freed, {@code liveBlocks} is 0 and every allocation has its free. Then it closes the
 * instance, whatever happened. The verdict is "ok" or "BAD" and the first violation.
 */
public final class Ledger {
    private final Emma emma;
    private final List<Held> held = new ArrayList<>();
    private long expectedInvalidFrees;
    private String violation;

    private record Held(String name, long address, long size) {
        boolean overlaps(long other, long otherSize) {
            return address < other + otherSize && other < address + size;
        }
    }

    Ledger(Emma emma) {
        this.emma = emma;
    }

    /** A block that must be live at the end, stamped by its holder ({@link Stamps#stamp}) with {@code size}. */
    public void hold(String name, long address, long size) {
        if (address == 0) {
            fail(name + " is null");
            return;
        }
        for (Held h : held) {
            if (h.overlaps(address, size)) {
                fail(name + " overlaps " + h.name + " (handed out twice)");
            }
        }
        held.add(new Held(name, address, size));
    }

    /** Blocks held in the order given, named {@code prefix0, prefix1, ...}. */
    public void holdAll(String prefix, long[] blocks, long size) {
        for (int i = 0; i < blocks.length; i++) {
            hold(prefix + i, blocks[i], size);
        }
    }

    /** A held block that the test freed: no longer expected live. */
    public void freed(long address) {
        held.removeIf(h -> h.address == address);
    }

    public void expectInvalidFrees(long count) {
        expectedInvalidFrees = count;
    }

    /** Records a violation the test itself saw (the first one is the verdict). */
    public void fail(String what) {
        if (violation == null) {
            violation = what;
        }
    }

    /** An actor's failure: every Emma call in these tests must complete normally. */
    public void failIfThrew(String actor, Throwable t) {
        if (t != null) {
            fail(actor + " threw " + describe(t));
        }
    }

    /**
     * The name under which {@code address} is held or was named in {@code names} (pairs of name and
     * address), else "new": the label of an outcome.
     */
    public static String nameOf(long address, Object... names) {
        for (int i = 0; i + 1 < names.length; i += 2) {
            if ((Long) names[i + 1] == address) {
                return (String) names[i];
            }
        }
        return "new";
    }

    /**
     * Checks what the state holds, probes the heap with {@code probes} allocations of {@code probeSize}
     * bytes, frees everything, closes the instance, and returns "ok" or "BAD " and the first violation.
     */
    public String verdict(long probeSize, int probes) {
        try {
            if (violation == null) {
                checkHeld("after the race");
            }
            if (violation == null) {
                checkCounters(held.size());
            }
            if (violation == null) {
                probe(probeSize, probes);
            }
            if (violation == null) {
                freeEverything();
            }
        } catch (Throwable t) {
            fail("verification threw " + describe(t));
        } finally {
            emma.close();
        }
        return violation == null ? "ok" : "BAD " + violation;
    }

    private void checkHeld(String when) {
        for (Held h : held) {
            long usable;
            try {
                usable = emma.usableSize(h.address);
            } catch (InvalidFreeException e) {
                fail(h.name + " is not live " + when);
                return;
            }
            if (usable < h.size) {
                fail(h.name + " has usable size " + usable + " < " + h.size + " " + when);
                return;
            }
            if (!Stamps.intact(h.address, h.size)) {
                fail(h.name + " lost its stamp " + when + " (written by another holder, or purged)");
                return;
            }
        }
    }

    private void checkCounters(long live) {
        EmmaStats s = emma.stats();
        if (s.liveBlocks() != live) {
            fail("liveBlocks " + s.liveBlocks() + " != " + live + " held");
        } else if (s.invalidFrees() != expectedInvalidFrees) {
            fail("invalidFrees " + s.invalidFrees() + " != " + expectedInvalidFrees);
        }
    }

    private void probe(long size, int count) {
        long[] fresh = new long[count];
        try {
            for (int i = 0; i < count && violation == null; i++) {
                long a = emma.allocate(size);
                fresh[i] = a;
                if (emma.usableSize(a) < size) {
                    fail("probe block " + i + " has usable size " + emma.usableSize(a) + " < " + size);
                }
                for (Held h : held) {
                    if (h.overlaps(a, size)) {
                        fail("probe block " + i + " overlaps " + h.name + " (a live block handed out again)");
                    }
                }
                for (int j = 0; j < i; j++) {
                    if (fresh[j] == a) {
                        fail("probe blocks " + j + " and " + i + " are the same block");
                    }
                }
                Stamps.stamp(a, size);
            }
            if (violation == null) {
                checkHeld("after the probe");
            }
            for (int i = 0; i < count && violation == null; i++) {
                if (!Stamps.intact(fresh[i], size)) {
                    fail("probe block " + i + " lost its stamp");
                }
            }
        } finally {
            for (long a : fresh) {
                if (a != 0 && violation == null) {
                    emma.free(a);
                }
            }
        }
    }

    private void freeEverything() {
        for (Held h : held) {
            emma.free(h.address);
        }
        held.clear();
        EmmaStats s = emma.stats();
        if (s.liveBlocks() != 0) {
            fail("liveBlocks " + s.liveBlocks() + " after every block was freed");
        } else if (s.totalFrees() != s.totalAllocations()) {
            fail("totalFrees " + s.totalFrees() + " != totalAllocations " + s.totalAllocations());
        } else if (s.invalidFrees() != expectedInvalidFrees) {
            fail("invalidFrees " + s.invalidFrees() + " != " + expectedInvalidFrees + " after the probe");
        }
    }

    /** An exception as an outcome: class and message, addresses masked so that outcomes stay few. */
    static String describe(Throwable t) {
        String message = t.getMessage() == null ? "" : ": " + t.getMessage().replaceAll("0x[0-9a-fA-F]+", "0x?");
        return t.getClass().getSimpleName() + message;
    }
}
