package dev.emma.bridge.sites;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sampled blocks that are still live, by address: a free looks its address up and, if it was
 * sampled, gives its weight back to its site. Open addressing, no lock, no allocation:
 *
 * <ul>
 *   <li>A block goes to the slot its address hashes to or, if taken, to one of the next
 *       {@link #PROBES} - 1 slots; with all of them taken the sample is dropped (counted: the
 *       estimates then miss its weight). With {@code 2^14} slots and a few thousand live samples
 *       that is rare.</li>
 *   <li>A slot is claimed with a CAS from 0 to {@link #CLAIMED} (an odd value no allocator returns),
 *       its site and weight written, and only then the address published (release); a free reads
 *       the address (acquire) and takes the slot back with a CAS to {@link #CLAIMED} before it reads the
 *       site and weight, so no one writes a slot another thread is reading.</li>
 *   <li>A free reads one slot, and the other probes only while some block lives away from its
 *       home slot ({@link #displaced}): the common case is one hash and one load.</li>
 * </ul>
 *
 * A block freed by a path the agent does not see stays until a block at the same address is
 * sampled (it then replaces it) or freed: the error is that one block.
 */
final class LiveSamples {

    static final int SLOT_BITS = 14;
    static final int PROBES = 16;
    private static final long CLAIMED = 1;
    private static final int MASK = (1 << SLOT_BITS) - 1;
    private static final VarHandle ADDRESS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] addresses = new long[1 << SLOT_BITS];
    private final Object[] sites = new Object[1 << SLOT_BITS];
    private final long[] weights = new long[1 << SLOT_BITS];
    /** Live entries outside their home slot; frees probe further only while it is above 0. */
    private final AtomicInteger displaced = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    /**
     * Remembers a sampled block. An entry left for the same address (a block freed unseen) is
     * replaced and its weight given back through {@code sink}. Returns false when the sample was dropped.
     */
    boolean put(long address, Object site, long weight, SampleSink sink) {
        int home = slot(address);
        for (int i = 0; i < PROBES; i++) {
            int index = (home + i) & MASK;
            if ((long) ADDRESS.getAcquire(addresses, index) == address
                    && ADDRESS.compareAndSet(addresses, index, address, CLAIMED)) {
                Object old = sites[index]; // the old block is gone: its address was just handed out again
                long oldWeight = weights[index];
                sites[index] = site;
                weights[index] = weight;
                ADDRESS.setRelease(addresses, index, address);
                sink.released(old, oldWeight);
                return true;
            }
        }
        for (int i = 0; i < PROBES; i++) {
            int index = (home + i) & MASK;
            if (ADDRESS.compareAndSet(addresses, index, 0L, CLAIMED)) {
                sites[index] = site;
                weights[index] = weight;
                if (i > 0) {
                    displaced.incrementAndGet();
                }
                ADDRESS.setRelease(addresses, index, address);
                return true;
            }
        }
        dropped.incrementAndGet();
        return false;
    }

    /** The block at {@code address} is being freed: its entry, if any, goes and its weight goes back to its site. */
    void remove(long address, SampleSink sink) {
        int home = slot(address);
        if (take(home, address, sink)) {
            return;
        }
        if (displaced.getOpaque() > 0) {
            for (int i = 1; i < PROBES; i++) {
                if (take((home + i) & MASK, address, sink)) {
                    displaced.decrementAndGet();
                    return;
                }
            }
        }
    }

    private boolean take(int index, long address, SampleSink sink) {
        if ((long) ADDRESS.getAcquire(addresses, index) != address) {
            return false;
        }
        if (!ADDRESS.compareAndSet(addresses, index, address, CLAIMED)) {
            return false; // freed twice at once: the other free took it
        }
        Object site = sites[index];
        long weight = weights[index];
        sites[index] = null; // so that a site no live block refers to can be collected
        ADDRESS.setRelease(addresses, index, 0L); // the slot is free again only now
        sink.released(site, weight);
        return true;
    }

    /** Samples dropped because their slots were all taken. */
    long dropped() {
        return dropped.get();
    }

    /** Live entries now (for tests and the report): a scan of the table. */
    int size() {
        int count = 0;
        for (int i = 0; i < addresses.length; i++) {
            long address = (long) ADDRESS.getAcquire(addresses, i);
            if (address != 0 && address != CLAIMED) {
                count++;
            }
        }
        return count;
    }

    static int slot(long address) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> (64 - SLOT_BITS));
    }
}
