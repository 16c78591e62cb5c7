package dev.emma.bench.memory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** {@link AddressRing} for objects (direct buffers): bounded, one producer, one consumer. */
public final class ObjectRing<T> {

    private final AtomicReferenceArray<T> slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    public ObjectRing(int log2Capacity) {
        slots = new AtomicReferenceArray<>(1 << log2Capacity);
        mask = slots.length() - 1;
    }

    /** Producer side: false when full. */
    public boolean offer(T value) {
        long t = tail.getPlain();
        if (t - head.getAcquire() == slots.length()) {
            return false;
        }
        slots.setPlain((int) t & mask, value);
        tail.setRelease(t + 1);
        return true;
    }

    /** Consumer side: the oldest value, or null when empty. */
    public T poll() {
        long h = head.getPlain();
        if (h == tail.getAcquire()) {
            return null;
        }
        int slot = (int) h & mask;
        T value = slots.getPlain(slot);
        slots.setPlain(slot, null);
        head.setRelease(h + 1);
        return value;
    }
}
