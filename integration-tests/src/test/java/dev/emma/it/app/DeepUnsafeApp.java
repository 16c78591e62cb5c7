package dev.emma.it.app;

/**
 * Allocates and frees batches of 64 blocks with {@code sun.misc.Unsafe}, reached through five frames
 * of its own in {@link #batch} (a library's helpers around {@code Unsafe}), for {@code CallDepthIT}.
 */
public final class DeepUnsafeApp {

    private static final sun.misc.Unsafe UNSAFE = Memory.unsafe();

    private DeepUnsafeApp() {
    }

    public static void main(String[] args) {
        long[] blocks = new long[64];
        long sum = 0;
        for (int round = 0; round < 20_000; round++) { // -Xbatch: compiled in the foreground, early on
            sum += batch(blocks);
        }
        System.out.println(sum == 0 ? "no blocks" : "done");
    }

    static long batch(long[] blocks) {
        long sum = 0;
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = allocate5(64);
        }
        for (int i = 0; i < blocks.length; i++) {
            sum += blocks[i];
            free5(blocks[i]);
        }
        return sum;
    }

    static long allocate5(long size) {
        return allocate4(size);
    }

    static long allocate4(long size) {
        return allocate3(size);
    }

    static long allocate3(long size) {
        return allocate2(size);
    }

    static long allocate2(long size) {
        return allocate1(size);
    }

    static long allocate1(long size) {
        return UNSAFE.allocateMemory(size);
    }

    static void free5(long address) {
        free4(address);
    }

    static void free4(long address) {
        free3(address);
    }

    static void free3(long address) {
        free2(address);
    }

    static void free2(long address) {
        free1(address);
    }

    static void free1(long address) {
        UNSAFE.freeMemory(address);
    }
}
