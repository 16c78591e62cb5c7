package dev.emma.bridge;

/**
 * Where blocks are reported to allocation sampling ({@code dev.emma.bridge.sites}): Emma's by
 * {@link EmmaBlocks}, behind the compilation boundary, the native allocator's by the {@link Router}.
 * Off by default: no hook is held, and each operation pays one load and a branch.
 *
 * <p>Contract: neither method throws; {@link #freed} does not allocate for a block that was not
 * sampled (the common case). Both run on the allocating or freeing thread, inside the JDK method
 * that was instrumented.
 */
public interface SampleHook {

    /**
     * A block of {@code size} bytes at {@code address} was handed out, before its caller sees it.
     *
     * @param route as far as the caller knows it: {@link Route#JDK} stands for "not known here" (Emma's
     *              blocks, and the JDK's internal {@code Unsafe.allocateMemory}, whose real caller, an
     *              FFM arena, a direct buffer or {@code sun.misc.Unsafe}, the sampler reads from the stack)
     * @param emma  whether Emma served it (false: the native allocator)
     */
    void allocated(long address, long size, Route route, boolean emma);

    /** The block at {@code address} is about to be freed or resized away, before its allocator may reuse the address. */
    void freed(long address);
}
