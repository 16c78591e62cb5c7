package dev.emma.bridge;

/** The Java-level routes to off-heap memory that the agent tells apart. */
public enum Route {
    /** {@code ByteBuffer.allocateDirect}: {@code DirectByteBuffer(int)}, freed by its Cleaner. */
    DIRECT,
    /** FFM arenas: {@code Arena.allocate} and everything built on it. */
    FFM,
    /** libc's allocator bound through an FFM {@code Linker} downcall (Netty 4.2). */
    LINKER,
    /** Every other {@code Unsafe.allocateMemory} caller: {@code sun.misc.Unsafe} users and the JDK's own code. */
    UNSAFE
}
