package dev.emma.stress.support;

import static dev.emma.stress.support.Sandbox.SMALL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The verdict the jcstress arbiters rely on says BAD when a state's expectations are broken. */
class LedgerSelfTest {

    @Test
    void aStateWhoseBlocksAreIntactIsOkAndItsInstanceIsClosed() {
        Sandbox box = Sandbox.checked();
        long[] blocks = box.onSetupThread(emma -> Sandbox.allocateStamped(emma, SMALL, 3));
        box.ledger.holdAll("b", blocks, SMALL);
        assertEquals("ok", box.ledger.verdict(SMALL, 17));
        assertFalse(box.emma.owns(blocks[0]), "the verdict closes the instance");
    }

    @Test
    void aHeldBlockThatWasFreedBehindTheLedgersBackIsReported() {
        Sandbox box = Sandbox.checked();
        long[] blocks = Sandbox.allocateStamped(box.emma, SMALL, 2);
        box.ledger.holdAll("b", blocks, SMALL);
        box.emma.free(blocks[1]);
        assertEquals("BAD b1 is not live after the race", box.ledger.verdict(SMALL, 17));
    }

    @Test
    void aBlockHandedOutTwiceIsReported() {
        Sandbox box = Sandbox.plain();
        long a = Sandbox.allocateStamped(box.emma, SMALL, 1)[0];
        box.ledger.hold("x", a, SMALL);
        box.ledger.hold("y", a, SMALL);
        assertEquals("BAD y overlaps x (handed out twice)", box.ledger.verdict(SMALL, 17));
    }

    @Test
    void anOverwrittenBlockIsReported() {
        Sandbox box = Sandbox.plain();
        long[] blocks = Sandbox.allocateStamped(box.emma, SMALL, 2);
        box.ledger.holdAll("b", blocks, SMALL);
        Stamps.stamp(blocks[1] - 8, 16); // a 16-byte write across b0's last word and b1's first
        assertTrue(box.ledger.verdict(SMALL, 17).startsWith("BAD b0 lost its stamp"));
    }

    @Test
    void countersOtherThanExpectedAreReported() {
        Sandbox box = Sandbox.plain();
        long[] blocks = Sandbox.allocateStamped(box.emma, SMALL, 2);
        box.ledger.holdAll("b", blocks, SMALL);
        box.ledger.expectInvalidFrees(1);
        assertEquals("BAD invalidFrees 0 != 1", box.ledger.verdict(SMALL, 17));

        Sandbox other = Sandbox.plain();
        long[] more = Sandbox.allocateStamped(other.emma, SMALL, 2);
        other.ledger.hold("b0", more[0], SMALL); // b1 is live but not held: a block the state lost track of
        assertEquals("BAD liveBlocks 2 != 1 held", other.ledger.verdict(SMALL, 17));
    }

    @Test
    void anActorsFailureIsTheVerdict() {
        Sandbox box = Sandbox.plain();
        box.ledger.failIfThrew("adopter", new AssertionError("a refilled page has no free block (class 35) at 0x7f00aa"));
        assertEquals("BAD adopter threw AssertionError: a refilled page has no free block (class 35) at 0x?",
                box.ledger.verdict(SMALL, 17));
    }
}
