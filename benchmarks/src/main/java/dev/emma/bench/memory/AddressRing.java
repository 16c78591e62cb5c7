package dev.emma.bench.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer queue of non-zero addresses: how blocks travel to the
 * thread that frees them, without allocating (a boxed queue would put GC work into the numbers).
 */
public final class AddressRing {

    private final long[] slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next slot to read; written by the consumer only
    private final AtomicLong tail = new AtomicLong(); // next slot to write; written by the producer only

    public AddressRing(int log2Capacity) {
        slots = new long[1 << log2Capacity];
        mask = slots.length - 1;
    }

    /** Producer side: false when full. */
    public boolean offer(long address) {
        long t = tail.getPlain();
        if (t - head.getAcquire() == slots.length) {
            return false;
        }
        slots[(int) t & mask] = address;
        tail.setRelease(t + 1);
        return true;
    }

    /** Consumer side: the oldest address, or 0 when empty. */
    public long poll() {
        long h = head.getPlain();
        if (h == tail.getAcquire()) {
            return 0;
        }
        long address = slots[(int) h & mask];
        head.setRelease(h + 1);
        return address;
    }
}
