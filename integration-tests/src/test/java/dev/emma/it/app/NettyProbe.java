package dev.emma.it.app;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Direct buffers from Netty's own allocators, after the agent is active, as a service takes them:
 * prints per allocator how many of their bytes lie in Emma's memory ({@code Emma.global().owns} of
 * each buffer's address; a pooled buffer's address is inside a chunk, which Emma owns if it
 * allocated the chunk). Compiled against Netty 4.2; run with 4.1 or 4.2 on the class path.
 *
 * <p>Output: {@code netty <version> unsafe=<bool> cleaner=<class>}, then per allocator
 * {@code allocator <name> buffers=<n> bytes=<n> emmaBytes=<n>}.
 */
public final class NettyProbe {

    static final int BUFFERS = 350;
    static final int[] SIZES = {64, 512, 4096, 16384, 65536, 1000, 200_000};

    public static void main(String[] args) throws Exception {
        Check.that(AgentProbe.awaitActive(30_000), "the agent did not become active");
        ByteBuf first = Unpooled.directBuffer(16); // Netty chooses its path (Unsafe, Cleaner) on first use
        first.release();
        System.out.println("netty " + io.netty.util.Version.identify().values().iterator().next().artifactVersion()
                + " unsafe=" + PlatformDependent.hasUnsafe() + " cleaner=" + cleanerName());
        probe("Unpooled.directBuffer", Unpooled::directBuffer);
        probe("UnpooledByteBufAllocator.DEFAULT", UnpooledByteBufAllocator.DEFAULT::directBuffer);
        probe("PooledByteBufAllocator.DEFAULT", PooledByteBufAllocator.DEFAULT::directBuffer);
        probe("ByteBufAllocator.DEFAULT", ByteBufAllocator.DEFAULT::directBuffer);
    }

    private static void probe(String name, IntFunction<ByteBuf> allocator) {
        List<ByteBuf> kept = new ArrayList<>();
        long bytes = 0;
        long emmaBytes = 0;
        for (int i = 0; i < BUFFERS; i++) {
            ByteBuf buffer = allocator.apply(SIZES[i % SIZES.length]);
            Check.that(buffer.isDirect(), name + " gave a heap buffer");
            buffer.setLong(0, i); // touched, as a service would
            long address = MemorySegment.ofBuffer(buffer.internalNioBuffer(0, buffer.capacity())).address();
            bytes += buffer.capacity();
            if (AgentProbe.emmaOwns(address)) {
                emmaBytes += buffer.capacity();
            }
            kept.add(buffer);
        }
        kept.forEach(ByteBuf::release);
        System.out.println("allocator " + name + " buffers=" + BUFFERS + " bytes=" + bytes + " emmaBytes=" + emmaBytes);
    }

    /** Which of Netty's Cleaner implementations (4.2: CleanerJava25Linker = malloc through a Linker downcall). */
    private static String cleanerName() {
        try {
            java.lang.reflect.Field field = PlatformDependent.class.getDeclaredField("CLEANER");
            field.setAccessible(true);
            Object cleaner = field.get(null);
            return cleaner == null ? "none" : cleaner.getClass().getSimpleName();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown";
        }
    }
}
