package dev.emma;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emma.support.ForeignMemory;
import dev.emma.support.Patterns;
import dev.emma.support.ProcMaps;
import dev.emma.support.Seeds;
import dev.emma.support.Sizes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** owns(address): any 64-bit value, no false positive, no false negative, never reads foreign memory. */
class OwnsTest {

    private static final long[] SIZES = {1, 16, 100, 504, 4096, 8193, 65_536, 500_000, Sizes.MiB, Sizes.MiB + 1,
            6 * Sizes.MiB};

    private static final long[] NEVER_EMMA = {0, 1, 8, 16, 4096, 0xFFFF, -1, -16, Long.MIN_VALUE, Long.MAX_VALUE,
            1L << 47, (1L << 47) - 1, 1L << 48, 0x7fff_ffff_f000L, 0xffff_8000_0000_0000L, 0xffff_ffff_ff60_0000L};

    @Test
    void ownsTheStartAndEveryInteriorByteOfItsBlocks() {
        try (Emma emma = Emma.create()) {
            for (long size : SIZES) {
                long p = emma.allocate(size);
                long usable = emma.usableSize(p);
                for (long offset : new long[] {0, 1, usable / 2, usable - 1}) {
                    assertTrue(emma.owns(p + offset), "size " + size + ", offset " + offset + " of " + Patterns.hex(p));
                }
            }
        }
    }

    @Test
    void ownsNoValueItCannotHaveMapped() {
        try (Emma emma = Emma.create()) {
            long keep = emma.allocate(64); // the instance has segments
            long huge = emma.allocate(3 * Sizes.MiB);
            for (long value : NEVER_EMMA) {
                assertFalse(emma.owns(value), Patterns.hex(value));
            }
            emma.free(keep);
            emma.free(huge);
        }
    }

    @Test
    void foreignNativePointersAreNotOwned() {
        try (Emma emma = Emma.create(); Arena confined = Arena.ofConfined()) {
            long keep = emma.allocate(64);
            List<Long> foreign = new ArrayList<>();
            long malloc = ForeignMemory.malloc(100);
            long bigMalloc = ForeignMemory.malloc(8 * Sizes.MiB); // glibc mmaps this one itself
            foreign.add(malloc);
            foreign.add(bigMalloc);
            foreign.add(bigMalloc + 4 * Sizes.MiB);
            foreign.add(confined.allocate(64).address());
            foreign.add(confined.allocate(5 * Sizes.MiB, 4096).address());
            foreign.add(Arena.global().allocate(32).address());
            foreign.add(MemorySegment.ofBuffer(ByteBuffer.allocateDirect(128)).address());
            for (long address : foreign) {
                assertFalse(emma.owns(address), Patterns.hex(address));
                assertFalse(emma.owns(address + 8), Patterns.hex(address + 8));
            }
            long unsafe = ForeignMemory.unsafeAllocateOrZero(100);
            if (unsafe != 0) {
                assertFalse(emma.owns(unsafe), "Unsafe.allocateMemory: " + Patterns.hex(unsafe));
            }
            ForeignMemory.unsafeFree(unsafe);
            ForeignMemory.free(malloc);
            ForeignMemory.free(bigMalloc);
            emma.free(keep);
        }
    }

    /** A fresh instance owns nothing anywhere in the address space: not the stack, the Java heap, libraries, other instances. */
    @Test
    void aFreshInstanceOwnsNoMappingOfTheProcess() {
        try (Emma other = Emma.create()) {
            long othersBlock = other.allocate(1000); // another instance's segment is in the maps too
            try (Emma fresh = Emma.create()) {
                for (ProcMaps.Mapping m : ProcMaps.read()) {
                    for (long address : new long[] {m.start(), m.start() + (m.end() - m.start()) / 2, m.end() - 1}) {
                        assertFalse(fresh.owns(address), m + " at " + Patterns.hex(address));
                    }
                }
                assertFalse(fresh.owns(othersBlock));
            }
            other.free(othersBlock);
        }
    }

    /** Every owned value lies in a live mapping (no false positive); every byte of a live block is owned. */
    @Test
    void randomValuesAroundBlocksAgreeWithTheKernelsMaps() {
        long seed = Seeds.base("OwnsTest.random");
        SplittableRandom random = new SplittableRandom(seed);
        try (Emma emma = Emma.create(EmmaConfig.defaults().withBackgroundPurge(false))) {
            List<long[]> blocks = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                long p = emma.allocate(Sizes.logUniform(random, 16, 3 * Sizes.MiB));
                blocks.add(new long[] {p, emma.usableSize(p)});
            }
            for (int i = 0; i < 100; i += 3) { // some freed memory, some segments maybe gone
                emma.free(blocks.get(i)[0]);
                blocks.set(i, null);
            }
            List<Long> owned = new ArrayList<>();
            for (int i = 0; i < 200_000; i++) {
                long[] near = blocks.get(random.nextInt(blocks.size()));
                long base = near != null ? near[0] : random.nextLong(1L << 47);
                long value = base + random.nextLong(-64 * Sizes.MiB, 64 * Sizes.MiB);
                if (emma.owns(value)) {
                    owned.add(value);
                }
            }
            for (int i = 0; i < 100_000; i++) {
                emma.owns(random.nextLong()); // any value at all: must answer, not fault
            }
            List<ProcMaps.Mapping> maps = ProcMaps.read();
            for (long value : owned) {
                assertTrue(ProcMaps.mapped(maps, value), "seed " + seed + ": owns(" + Patterns.hex(value) + ") but nothing is mapped there");
            }
            for (long[] b : blocks) {
                if (b != null) {
                    long inside = b[0] + random.nextLong(b[1]);
                    assertTrue(emma.owns(inside), "seed " + seed + ": " + Patterns.hex(inside) + " in block " + Patterns.hex(b[0]));
                    emma.free(b[0]);
                }
            }
            assertFalse(owned.isEmpty(), "seed " + seed + ": no probe hit Emma's memory");
        }
    }

    @Test
    void memoryOfAClosedInstanceIsNotOwnedByANewOne() {
        List<Long> addresses = new ArrayList<>();
        try (Emma closed = Emma.create()) {
            for (long size : SIZES) {
                long p = closed.allocate(size);
                addresses.add(p);
                addresses.add(p + closed.usableSize(p) - 1);
            }
        }
        try (Emma fresh = Emma.create()) {
            for (long address : addresses) {
                assertFalse(fresh.owns(address), Patterns.hex(address));
            }
        }
    }

    @Test
    void aFreedHugeBlockIsNoLongerOwned() {
        try (Emma emma = Emma.create()) {
            long keep = emma.allocate(64);
            long huge = emma.allocate(5 * Sizes.MiB); // two granules: cached when freed, until trim()
            long last = huge + emma.usableSize(huge) - 1;
            long big = emma.allocate(17 * Sizes.MiB); // five: too big to cache, unmapped when freed
            long bigLast = big + emma.usableSize(big) - 1;
            assertTrue(emma.owns(huge) && emma.owns(last) && emma.owns(big) && emma.owns(bigLast));
            emma.free(big);
            assertFalse(emma.owns(big), "a huge block too big to cache is unmapped when freed");
            assertFalse(emma.owns(bigLast));
            emma.free(huge);
            emma.trim();
            assertFalse(emma.owns(huge), "a cached huge mapping is unmapped by trim()");
            assertFalse(emma.owns(last));
            assertTrue(emma.owns(keep));
            emma.free(keep);
        }
    }

    @Test
    void independentInstancesNeverOwnEachOthersBlocks() {
        try (Emma a = Emma.create(); Emma b = Emma.create()) {
            List<Long> inA = new ArrayList<>();
            List<Long> inB = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long size = SIZES[i % SIZES.length];
                inA.add(a.allocate(size));
                inB.add(b.allocate(size));
            }
            for (int i = 0; i < inA.size(); i++) {
                long pa = inA.get(i);
                long pb = inB.get(i);
                assertTrue(a.owns(pa) && b.owns(pb));
                assertFalse(b.owns(pa) || b.owns(pa + a.usableSize(pa) - 1), "b owns a's " + Patterns.hex(pa));
                assertFalse(a.owns(pb) || a.owns(pb + b.usableSize(pb) - 1), "a owns b's " + Patterns.hex(pb));
            }
            inA.forEach(a::free);
            inB.forEach(b::free);
        }
    }
}
