package dev.emma.bench.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer single-consumer queue of non-zero addresses: how blocks travel to the
 * thread that frees them, without allocating (a boxed queue would put GC work into the numbers).
 *
 * <p>The ring is part of the harness, so it must cost next to nothing for every allocator: a
 * Lamport queue with cached indices (FastFlow; JCTools' {@code SpscArrayQueue} producer limit).
 * Each side owns one cache line, padded away from the other's, holding its own index and its
 * cached view of the other side's index. It reads the other side's line only when that view says
 * full (producer) or empty (consumer), so in steady state neither side writes a line the other
 * reads except the slots themselves.
 *
 * <p>Invariant: {@code head <= tail <= head + capacity}; slots {@code [head, tail)} hold addresses
 * not yet polled. {@code headLimit <= head + capacity} and {@code tailLimit <= tail} at all times
 * (cached views only lag), so a stale view can only make a side re-read, never overrun.
 */
public final class AddressRing extends AddressRingPadAfter {

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(AddressRingConsumer.class, "head", long.class);
            TAIL = lookup.findVarHandle(AddressRingProducer.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public AddressRing(int log2Capacity) {
        super(log2Capacity);
    }

    /** Producer side: false when full. */
    public boolean offer(long address) {
        long t = tail; // plain: only this thread writes tail
        if (t >= headLimit) {
            // Acquire: pairs with poll's release of head, so the consumer's read of every slot
            // below head happened before we overwrite one of them.
            headLimit = (long) HEAD.getAcquire(this) + capacity;
            if (t >= headLimit) {
                return false;
            }
        }
        slots[PAD_SLOTS + ((int) t & mask)] = address; // plain: published by the release below
        // Release: the slot's write is visible before the consumer can see the new tail.
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Consumer side: the oldest address, or 0 when empty. */
    public long poll() {
        long h = head; // plain: only this thread writes head
        if (h >= tailLimit) {
            // Acquire: pairs with offer's release of tail, so the slots below it are written.
            tailLimit = (long) TAIL.getAcquire(this);
            if (h >= tailLimit) {
                return 0;
            }
        }
        long address = slots[PAD_SLOTS + ((int) h & mask)]; // plain: ordered after the acquire that covered it
        // Release: our read of the slot is done before the producer may reuse it. The producer
        // reads head only when its own view says full, so this store rarely moves a cache line.
        HEAD.setRelease(this, h + 1);
        return address;
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
    long tail; // next slot to write; the consumer reads it with acquire
    long headLimit; // producer's view: head + capacity when last read; offer may write below it

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
    long head; // next slot to read; the producer reads it with acquire
    long tailLimit; // consumer's view: tail when last read; poll may read below it

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
