package dev.emma.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.os.SyscallException;
import dev.emma.os.Syscalls;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/**
 * Mapper.move after an mremap that failed having unmapped its target (the kernel's order before
 * 6.17: mremap_to's do_munmap of the target, then its checks), and other threads' mappings then
 * covered the hole: the failed move must touch neither their memory nor their registration. An
 * earlier version unregistered its new reservation after the failure (clearing a registration of
 * another mapping of this instance that took the hole) and probed the target with msync, unmapping
 * it when it was all mapped (any mapping that covers the hole passes that probe). Found by review.
 */
class MoveHoleTest {
    private static final long SEGMENT = Layout.SEGMENT_SIZE;

    /** Unmaps the target and fails, after another thread mapped over the hole (and maybe registered it). */
    private static final class HoleFillingKernel extends Kernel {
        final SegmentMap map;
        final boolean registerForeign;
        long foreign;
        long foreignLength;

        HoleFillingKernel(SegmentMap map, boolean registerForeign) {
            this.map = map;
            this.registerForeign = registerForeign;
        }

        @Override
        long mremap(long address, long oldLength, long newLength, int flags, long target) {
            Syscalls.munmap(target, newLength); // as mremap_to does before its checks
            // Another thread's mapping over exactly the hole (MAP_FIXED over what was just unmapped,
            // so that no mapping of this JVM is hit; a larger one that covers it is the same case).
            foreignLength = newLength;
            foreign = Syscalls.mmap(target, foreignLength, Syscalls.PROT_READ_WRITE, Syscalls.MAP_FIXED);
            if (registerForeign) { // another mapping of this instance, registered by its thread
                map.set(target, SEGMENT, SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
            }
            return Syscalls.mremap(1, 4096, 4096, 0, 0); // fails: EINVAL
        }
    }

    @Test
    void aForeignMappingThatCoversTheHoleIsLeftMapped() {
        SegmentMap map = new SegmentMap();
        HoleFillingKernel kernel = new HoleFillingKernel(map, false);
        Mapper mapper = new Mapper(map, 0, kernel);
        long base = mapper.mapAligned(SEGMENT, 3 << 20, SEGMENT, SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
        long mapped = mapper.mappedBytes();
        assertThrows(SyscallException.class, () -> mapper.move(base, SEGMENT, 3 << 20, 2 * SEGMENT, 5 << 20,
                SEGMENT, SegmentMap.HUGE_START, SegmentMap.HUGE_REST));
        assertTrue(mapped(kernel.foreign, kernel.foreignLength), "the foreign mapping is still mapped");
        assertEquals(mapped, mapper.mappedBytes(), "the failed move counts nothing");
        assertEquals(SegmentMap.HUGE_START, map.get(base), "the old mapping is registered again");
        Syscalls.munmap(kernel.foreign, kernel.foreignLength);
        mapper.unmap(base, SEGMENT, 3 << 20);
    }

    @Test
    void aForeignRegistrationInTheHoleSurvivesTheFailedMove() {
        SegmentMap map = new SegmentMap();
        HoleFillingKernel kernel = new HoleFillingKernel(map, true);
        Mapper mapper = new Mapper(map, 0, kernel);
        long base = mapper.mapAligned(SEGMENT, 3 << 20, SEGMENT, SegmentMap.HUGE_START, SegmentMap.HUGE_REST);
        assertThrows(SyscallException.class, () -> mapper.move(base, SEGMENT, 3 << 20, 2 * SEGMENT, 5 << 20,
                SEGMENT, SegmentMap.HUGE_START, SegmentMap.HUGE_REST));
        assertEquals(SegmentMap.HUGE_START, map.get(kernel.foreign), "the other mapping's registration is kept");
        map.clear(kernel.foreign, SEGMENT);
        Syscalls.munmap(kernel.foreign, kernel.foreignLength);
        mapper.unmap(base, SEGMENT, 3 << 20);
    }

    /** Whether all of the range is mapped: mincore fails (ENOMEM, an OutOfMemoryError here) where part is not. */
    private static boolean mapped(long address, long length) {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls.mincore(address, length, arena.allocate(length / Syscalls.PAGE_SIZE).address());
            return true;
        } catch (OutOfMemoryError | RuntimeException notMapped) {
            return false;
        }
    }
}
