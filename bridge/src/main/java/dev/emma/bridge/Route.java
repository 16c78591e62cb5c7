package dev.emma.bridge;

/** The Java-level routes to off-heap memory that the agent tells apart. */
public enum Route {
    /** {@code ByteBuffer.allocateDirect}: {@code DirectByteBuffer(int)}, freed by its Cleaner. */
    DIRECT,
    /** FFM arenas: {@code Arena.allocate} and everything built on it. */
    FFM,
    /** libc's allocator bound through an FFM {@code Linker} downcall (Netty 4.2). */
    LINKER,
    /** {@code sun.misc.Unsafe.allocateMemory}: the application's and its libraries' own calls (Netty, Arrow, ...). */
    UNSAFE,
    /**
     * The JDK's own code calling its internal {@code Unsafe.allocateMemory} for itself: NIO's native
     * buffers for file paths, socket addresses, I/O vectors and selectors, and the like.
     */
    JDK
}
