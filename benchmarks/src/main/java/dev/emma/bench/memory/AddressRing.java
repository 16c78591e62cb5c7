package dev.emma.bench.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer single-consumer queue of non-zero addresses: how blocks travel to the
 * thread that frees them, without allocating (a boxed queue would put GC work into the numbers).
 *
 * <p>The ring is part of the harness, so it must cost next to nothing for every allocator. It is
 * FastFlow's ring, as in JCTools' {@code SpscArrayQueue}: a slot holding 0 is free, so neither
 * side ever reads the other's index. The consumer takes the slot at {@code head} when it is
 * non-zero and writes 0 back; the producer writes the slot at {@code tail} when it is free, and
 * after seeing a slot {@code lookAhead - 1} ahead free writes up to it without looking again
 * (the producer limit). Each index lives on its own cache line, padded away from the other, so
 * the only lines both threads write are the slots themselves. (A Lamport ring with shared
 * indices, even each side caching the other's, moves an index line per block when it runs
 * nearly empty, as it does when frees are cheaper than allocations.)
 *
 * <p>Invariant: the consumer zeroes slots in sequence order, so when the slot of sequence
 * {@code s} is free, every slot of sequence {@code tail..s} is free too; hence
 * {@code tail <= producerLimit <= head + capacity}.
 */
public final class AddressRing extends AddressRingPadAfter {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    /** How far ahead the producer checks for room: a quarter of the ring, at most 4 lines. */
    private final int lookAhead;

    public AddressRing(int log2Capacity) {
        super(log2Capacity);
        lookAhead = (int) Math.max(1, Math.min(capacity / 4, 32));
    }

    /** Producer side: false when full. */
    public boolean offer(long address) {
        if (address == 0) {
            throw new IllegalArgumentException("0 marks an empty slot");
        }
        long t = tail; // plain: only this thread reads or writes tail
        if (t >= producerLimit && !makeRoom(t)) {
            return false;
        }
        // Release: the block's contents (and anything else written before) are visible to the
        // consumer that reads this slot with acquire.
        SLOT.setRelease(slots, index(t), address);
        tail = t + 1;
        return true;
    }

    /** Extends the producer's limit when the slot lookAhead ahead (or at least this one) is free. */
    private boolean makeRoom(long t) {
        // Acquire: pairs with poll's release of 0, so the consumer's read of the slot is done
        // before we overwrite it. The slots in between were freed before this one (in order).
        if ((long) SLOT.getAcquire(slots, index(t + lookAhead - 1)) == 0) {
            producerLimit = t + lookAhead;
            return true;
        }
        if ((long) SLOT.getAcquire(slots, index(t)) == 0) {
            producerLimit = t + 1;
            return true;
        }
        return false;
    }

    /** Consumer side: the oldest address, or 0 when empty. */
    public long poll() {
        long h = head; // plain: only this thread reads or writes head
        int slot = index(h);
        // Acquire: pairs with offer's release, so what the producer wrote before is visible.
        long address = (long) SLOT.getAcquire(slots, slot);
        if (address == 0) {
            return 0;
        }
        // Release: our read of the slot is done before the producer may see it free and reuse it.
        SLOT.setRelease(slots, slot, 0L);
        head = h + 1;
        return address;
    }

    private int index(long sequence) {
        return PAD_SLOTS + ((int) sequence & mask);
    }
}

/**
 * The ring's layout, by inheritance: HotSpot places a superclass's fields before its subclass's,
 * so each side's pair of longs sits between 128-byte pads (two lines, for the adjacent-line
 * prefetcher) and never shares a cache line with the other side's or with the read-only fields.
 */
abstract class AddressRingShape {
    /** Unused slots at each end of {@link #slots}, so no other object shares the ring's lines. */
    static final int PAD_SLOTS = 16;

    final long[] slots; // [PAD_SLOTS, PAD_SLOTS + capacity) are the ring
    final int mask;
    final long capacity;

    AddressRingShape(int log2Capacity) {
        if (log2Capacity < 0 || log2Capacity > 28) {
            throw new IllegalArgumentException("log2Capacity must be in 0..28, was " + log2Capacity);
        }
        capacity = 1L << log2Capacity;
        mask = (int) capacity - 1;
        slots = new long[(int) capacity + 2 * PAD_SLOTS];
    }
}

abstract class AddressRingPadBefore extends AddressRingShape {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    AddressRingPadBefore(int log2Capacity) {
        super(log2Capacity);
    }
}

/** Written by the producer only. */
abstract class AddressRingProducer extends AddressRingPadBefore {
    long tail; // next slot to write
    long producerLimit; // slots below it were seen free: offer writes without looking

    AddressRingProducer(int log2Capacity) {
        super(log2Capacity);
    }
}

abstract class AddressRingPadBetween extends AddressRingProducer {
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;

    AddressRingPadBetween(int log2Capacity) {
        super(log2Capacity);
    }
}

/** Written by the consumer only. */
abstract class AddressRingConsumer extends AddressRingPadBetween {
    long head; // next slot to read

    AddressRingConsumer(int log2Capacity) {
        super(log2Capacity);
    }
}

abstract class AddressRingPadAfter extends AddressRingConsumer {
    long p40, p41, p42, p43, p44, p45, p46, p47, p48, p49, p50, p51, p52, p53, p54, p55;

    AddressRingPadAfter(int log2Capacity) {
        super(log2Capacity);
    }
}
