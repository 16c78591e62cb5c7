package dev.emma.agent.install;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.bridge.BlockAllocator;
import dev.emma.bridge.Bridge;
import dev.emma.bridge.Router;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The advice, applied by Byte Buddy to a class shaped like the JDK's Unsafe. Regression: with a
 * {@code long} enter value, {@code skipOn} tested only the low 32 bits, so an Emma address like
 * {@code 0x7f00_0000_0000} also ran the original body (a leak in allocate, a glibc abort in realloc).
 */
class AdviceTest {

    /** Low 32 bits zero. */
    static final long EMMA_ADDRESS = 0x0000_7f00_0000_0000L;
    static final long FOREIGN = 0x5555_0000_1000L;

    private static final List<String> calls = new ArrayList<>();

    @BeforeAll
    static void routeToAnAllocatorWithLow32BitsZeroAddresses() {
        BlockAllocator blocks = new BlockAllocator() {
            @Override
            public long allocate(long size) {
                calls.add("allocate " + size);
                return EMMA_ADDRESS;
            }

            @Override
            public long allocateZeroed(long size) {
                return allocate(size);
            }

            @Override
            public long allocateAligned(long size, long alignment) {
                return allocate(size);
            }

            @Override
            public long reallocate(long address, long newSize) {
                calls.add("reallocate " + newSize);
                return EMMA_ADDRESS + (1L << 32);
            }

            @Override
            public boolean free(long address) {
                if (!owns(address)) {
                    return false;
                }
                calls.add("free");
                return true;
            }

            @Override
            public long usableSize(long address) {
                return 64;
            }

            @Override
            public boolean owns(long address) {
                return (address & 0xffff_ff00_0000_0000L) == EMMA_ADDRESS;
            }
        };
        assertTrue(Bridge.activate(Router.emma(blocks, (what, cause) -> { })), "another test activated the bridge");
    }

    private static Object instrumented() throws Exception {
        Class<?> type = new ByteBuddy().redefine(FakeUnsafe.class)
                .visit(Advice.to(AllocateMemoryAdvice.class).on(named("allocateMemory")))
                .visit(Advice.to(ReallocateMemoryAdvice.class).on(named("reallocateMemory")))
                .visit(Advice.to(FreeMemoryAdvice.class).on(named("freeMemory")))
                .make()
                .load(new ClassLoader(AdviceTest.class.getClassLoader()) { }, ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded();
        return type.getConstructor().newInstance();
    }

    @Test
    void anEmmaAddressWithLow32BitsZeroSkipsTheOriginalEverywhere() throws Exception {
        Object unsafe = instrumented();
        Class<?> type = unsafe.getClass();
        long address = (long) type.getMethod("allocateMemory", long.class).invoke(unsafe, 64L);
        assertEquals(EMMA_ADDRESS, address);
        long moved = (long) type.getMethod("reallocateMemory", long.class, long.class).invoke(unsafe, address, 4096L);
        assertEquals(EMMA_ADDRESS + (1L << 32), moved);
        type.getMethod("freeMemory", long.class).invoke(unsafe, moved);
        assertEquals(0, type.getField("originalRuns").getInt(unsafe), "the original body ran");
        assertTrue(calls.containsAll(List.of("allocate 64", "reallocate 4096", "free")), calls.toString());
    }

    @Test
    void foreignAddressesAndSizeZeroRunTheOriginal() throws Exception {
        Object unsafe = instrumented();
        Class<?> type = unsafe.getClass();
        assertEquals(0x1111_0000L, (long) type.getMethod("allocateMemory", long.class).invoke(unsafe, 0L));
        assertEquals(0x2222_0000L, (long) type.getMethod("reallocateMemory", long.class, long.class).invoke(unsafe, FOREIGN, 10L));
        type.getMethod("freeMemory", long.class).invoke(unsafe, FOREIGN);
        assertEquals(3, type.getField("originalRuns").getInt(unsafe));
    }
}
