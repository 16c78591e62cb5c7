package dev.emma.bridge;

/**
 * Replaces two calls inside {@code DirectByteBuffer(int)} (JDK 25): its {@code allocateMemory}
 * and its zeroing {@code Bits.setMemory}. The pair gives a direct buffer Emma memory without
 * writing zeros over memory Emma knows is zero.
 *
 * <p>The invariant that makes skipping safe: an Emma address returned by {@link #allocateMemory}
 * is always zeroed, and {@link #setMemory} is only ever called, by that constructor, on the address
 * {@link #allocateMemory} just returned. So "Emma owns it" means "it is already zero".
 */
public final class DirectBufferBridge {

    private DirectBufferBridge() {
    }

    /** Fails, with the reason, unless the JDK's internal Unsafe is reachable (see {@link NativeUnsafe}). */
    public static void prepare() {
        NativeUnsafe.ensureAvailable();
    }

    /** Replaces {@code UNSAFE.allocateMemory(size)}; {@code unsafe} is the JDK's internal Unsafe. */
    public static long allocateMemory(Object unsafe, long size) {
        Router router = Bridge.router();
        long address = router.allocateDirectZeroed(size);
        if (address == 0) {
            address = NativeUnsafe.allocateMemory(unsafe, size); // instrumented: may still be Emma's
            if (router.owns(address)) {
                NativeUnsafe.setMemory(address, size, (byte) 0);
            }
        }
        router.directAllocated(size); // the buffer has its memory: counted once it cannot throw any more
        return address;
    }

    /** Replaces {@code Bits.setMemory(base, size, (byte) 0)}. */
    public static void setMemory(long address, long size, byte value) {
        if (value == 0 && Bridge.router().owns(address)) {
            return;
        }
        NativeUnsafe.setMemory(address, size, value);
    }
}
